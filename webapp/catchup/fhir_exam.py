"""The FHIR resources of what was done and found: Procedure, ImagingStudy, DiagnosticReport."""

from __future__ import annotations

import base64
from typing import Any

from .batch import CaseExport, ExamData, ReportData
from .fhir_parts import DICOM_SYSTEM, VOIDED, CaseParts
from .fhir_text import (
    conclusion,
    contrast_text,
    dose_text,
    last_signed,
    report_full_text,
    weight_text,
)


def procedure_resource(
    parts: CaseParts, case: CaseExport, exam: ExamData, patient: str, request: str
) -> dict[str, Any]:
    period = {"start": exam.started_at}
    if exam.ended_at:
        period["end"] = exam.ended_at
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "identifier": [parts.case_id(case)],
        "basedOn": [parts.ref(request)],
        # Documented, the exam was performed, cancelled case or not: entered-in-error would say
        # it never happened while RIS and PACS may hold it. The order is revoked instead
        # (ServiceRequest), and the case's tag says it is not to be keyed.
        "status": "completed",
        "category": parts.imaging_category,
        "code": parts.exam_concept(exam.exam_code, exam.exam_text),
        "subject": parts.ref(patient),
        "performedPeriod": period,
    }
    body_site = parts.body_site(exam.side)
    if body_site:
        resource["bodySite"] = body_site
    if exam.side_confirmed:
        # A side other than the referral's: the order's bodySite says the other one.
        resource["note"] = [{"text": "Annan sida än remissen, bekräftad vid dokumentationen."}]
    if exam.radiographers:
        resource["performer"] = [{"actor": parts.named(exam.radiographers)}]
    if exam.room:
        resource["location"] = parts.named(exam.room)
    if exam.complications:
        resource["complication"] = [{"text": exam.complications}]
    return resource


def study_resource(
    parts: CaseParts, case: CaseExport, exam: ExamData, patient: str, request: str, procedure: str
) -> dict[str, Any]:
    identifiers: list[Any] = [parts.case_id(case)]
    if exam.modality_temp_id:
        identifiers.append(
            {"system": f"{parts.base}/modality-temp-id", "value": exam.modality_temp_id}
        )
    # Images that never reached PACS exist only on the modality: registered, not available.
    # A cancelled case's images are as real as any (see procedure_resource).
    status = "available" if exam.pacs_status == "yes" else "registered"
    resource: dict[str, Any] = {
        "resourceType": "ImagingStudy",
        "identifier": identifiers,
        "status": status,
        "subject": parts.ref(patient),
        "started": exam.started_at,
        "basedOn": [parts.ref(request)],
        "procedureReference": parts.ref(procedure),
        "description": exam.exam_text,
    }
    if exam.modality:
        resource["modality"] = [{"system": DICOM_SYSTEM, "code": exam.modality}]
    if exam.series_count is not None:
        resource["numberOfSeries"] = exam.series_count
    if exam.image_count is not None:
        resource["numberOfInstances"] = exam.image_count
    notes = [dose_text(exam), contrast_text(exam), weight_text(exam), exam.notes]
    if exam.pacs_status != "yes":
        notes.append(f"Bilder ej i PACS (status: {exam.pacs_status})")
    if any(notes):
        resource["note"] = [{"text": n} for n in notes if n]
    return resource


def report_resource(
    parts: CaseParts,
    case: CaseExport,
    report: ReportData,
    patient: str,
    request: str,
    study: str | None,
) -> dict[str, Any]:
    exam_text = (
        case.exam.exam_text if case.exam else (case.referral.exam_text if case.referral else "")
    )
    code: dict[str, Any] = {"coding": [parts.imaging_report_coding]}
    if exam_text:
        code["text"] = exam_text
    full_text = report_full_text(report)
    # The call is documented with the report in RIS, as the faxed report prints it.
    calls = [c.with_report() for c in case.urgent_calls]
    full_text = "\n\n".join(p for p in (full_text, "\n".join(calls)) if p)
    resource: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "identifier": [parts.case_id(case)],
        "basedOn": [parts.ref(request)],
        "status": VOIDED if case.status == "cancelled" else report.fhir_status,
        "category": [parts.radiology_category],
        "code": code,
        "subject": parts.ref(patient),
        "presentedForm": [
            {
                "contentType": "text/plain; charset=utf-8",
                "language": "sv",
                "data": base64.b64encode(full_text.encode("utf-8")).decode("ascii"),
                "title": f"Utlåtande {case.code}",
            }
        ],
    }
    if case.exam is not None:
        resource["effectiveDateTime"] = case.exam.started_at
    issued = last_signed(report)
    if issued:
        resource["issued"] = issued
    if report.author:
        resource["resultsInterpreter"] = [parts.named(report.author)]
    if study:
        resource["imagingStudy"] = [parts.ref(study)]
    summary = conclusion(report)
    if summary:
        resource["conclusion"] = summary
    return resource
