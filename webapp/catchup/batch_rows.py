"""One case's rows of the reconciliation batch, read as plain column rows, as export data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Row

from ..models.report import read_on_note
from ..numbers import lab_point_text
from ..reporting.signed import SignedText
from .batch import (
    AddendumData,
    DispatchData,
    ExamData,
    PatientData,
    ReferralData,
    ReportData,
    SignatureData,
)
from .batch_columns import DOSE_FIELDS

# A row of any of batch_columns' lists (too long to spell out as types).
Record = Row[*tuple[Any, ...]]


FHIR_REPORT_STATUS = {"draft": "partial", "preliminary": "preliminary", "definitive": "final"}


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def patient_data(case: Record) -> PatientData:
    return PatientData(
        name=case.patient_name,
        id_kind=case.patient_id_kind,
        id_value=case.patient_id,
        sex=case.patient_sex,
        birth_date=iso(case.patient_birth_date),
        approx_age=case.patient_age_approx,
    )


def referral_data(
    case: Record, ref: Record | None, priority_label: str, users: dict[int, str]
) -> ReferralData | None:
    if ref is None:
        return None
    safety = {
        "contrast_allergy": ref.contrast_allergy,
        "metformin": ref.metformin,
        "pregnancy": ref.pregnancy,
        "pacemaker": ref.pacemaker,
        "implants": ref.implants,
        "implants_note": ref.implants_note,
        # Exact, as the sheet and the CSV give them (':g' kept six digits), with the lab's
        # bound (">90").
        "egfr": lab_point_text(ref.egfr, ref.egfr_bound),
        "creatinine": lab_point_text(ref.creatinine, ref.creatinine_bound),
        "kidney_measured_on": iso(ref.kidney_measured_on) or "",
        "kidney_unknown": "yes" if ref.kidney_unknown else "",
    }
    return ReferralData(
        referrer_unit=ref.referrer_unit,
        referrer_clinician=ref.referrer_clinician,
        referrer_phone=ref.referrer_phone,
        reply_fax=ref.reply_fax,
        priority=case.priority,
        priority_label=priority_label,
        exam_code=ref.exam_code,
        exam_text=ref.exam_text,
        side=ref.side,
        modality=case.modality,
        contrast_planned=bool(ref.contrast_planned),
        clinical_question=ref.clinical_question,
        history=ref.history,
        safety=safety,
        arrived_via=ref.arrived_via,
        arrived_at=ref.arrived_at.isoformat(),
        received_by=users[ref.received_by_id],
        protocol=case.protocol,
        protocol_by=users[case.protocol_by_id] if case.protocol_by_id else "",
        protocol_at=iso(case.protocol_at),
        infection=ref.infection,
        infection_note=ref.infection_note,
        mobility=ref.mobility,
    )


def exam_data(ex: Record | None, users: dict[int, str]) -> ExamData | None:
    if ex is None:
        return None
    values = ex._mapping
    return ExamData(
        modality=ex.modality,
        room=ex.room,
        exam_code=ex.exam_code,
        exam_text=ex.exam_text,
        side=ex.side,
        side_confirmed=bool(ex.side_confirmed),
        started_at=ex.started_at.isoformat(),
        ended_at=iso(ex.ended_at),
        radiographers=ex.radiographers,
        modality_temp_id=ex.modality_temp_id,
        contrast_agent=ex.contrast_agent,
        contrast_volume_ml=ex.contrast_volume_ml,
        contrast_route=ex.contrast_route,
        dose={k: values[k] for k in DOSE_FIELDS if values[k] is not None},
        series_count=ex.series_count,
        image_count=ex.image_count,
        pacs_status=ex.pacs_status,
        pacs_sent_at=iso(ex.pacs_sent_at),
        complications=ex.complications,
        notes=ex.notes,
        documented_by=users[ex.documented_by_id],
        contrast_batch=ex.contrast_batch,
        contrast_batch_unknown=bool(ex.contrast_batch_unknown),
        patient_weight_kg=ex.patient_weight_kg,
        short_scan_confirmed=bool(ex.short_scan_confirmed),
    )


def report_data(
    report: Record | None,
    signatures: list[SignatureData],
    addenda: list[AddendumData],
    signed: SignedText | None = None,
    dispatches: list[DispatchData] | None = None,
    users: dict[int, str] | None = None,
) -> ReportData | None:
    if report is None:
        return None
    # RIS gets the text that was signed and its signer: a preliminary report saved again while
    # the radiologist works towards the definitive one is not anyone's signed report.
    # Where the images were read goes with it as signed, as the faxed sheet printed it.
    if signed is not None:
        sections, author = signed.sections, signed.author(report.author_name)
        read_on = signed.read_on
    elif report.state == "draft":
        # Saved, never signed: the batch says a report is under way, but its text is no one's
        # report and must not reach RIS (the catch-up page does not show it either).
        sections, author, read_on = [], "", ""
    else:
        sections, author, read_on = list(report.sections), report.author_name, report.read_on
    return ReportData(
        state=report.state,
        fhir_status="appended" if addenda else FHIR_REPORT_STATUS[report.state],
        sections=sections,
        author=author,
        received_by_fax=report.received_by_fax,
        is_urgent=report.is_urgent,
        signatures=signatures,
        addenda=addenda,
        dispatches=dispatches or [],
        read_on=read_on,
        read_on_note=read_on_note(read_on),
        second_look_at=iso(report.second_look_at),
        second_look_by=(users or {}).get(report.second_look_by_id, "")
        if report.second_look_by_id
        else "",
        second_look_outcome=report.second_look_outcome,
    )
