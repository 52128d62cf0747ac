"""The FHIR resources of one case, as JSON-ready dicts for a transaction Bundle entry.

Per case: Patient, ServiceRequest, ImagingStudy + Procedure (if examined), DiagnosticReport (if
reported) and a Provenance saying it was captured on the downtime routine.

Re-exports ("changes since") must not duplicate data on the receiving side, so:
- fullUrls are uuid5 of site + case code + resource type: the same case gives the same urn:uuid;
- Patient is a conditional create on its identifier (never overwrite the master patient record);
- the case's own resources are conditional updates (PUT Type?identifier=case-code), so a report
  exported preliminary and later final replaces itself instead of appearing twice;
- Provenance is a plain POST: every export is a new act of provenance.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from urllib.parse import quote

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.meta import Meta
from fhir.resources.R4B.reference import Reference
from fhir_core.fhirabstractmodel import FHIRAbstractModel

from .batch import CaseExport, ExamData, ReportData
from .fhir_text import (
    activity_text,
    case_tags,
    conclusion,
    contrast_text,
    default_priority,
    dose_text,
    last_signed,
    report_full_text,
    request_status,
)

PERSONNUMMER_SYSTEM = "http://electronichealth.se/identifier/personnummer"
SAMORDNINGSNUMMER_SYSTEM = "http://electronichealth.se/identifier/samordningsnummer"
NATIONAL_ID_SYSTEMS = {
    "personnummer": PERSONNUMMER_SYSTEM,
    "samordningsnummer": SAMORDNINGSNUMMER_SYSTEM,
}
DICOM_SYSTEM = "http://dicom.nema.org/resources/ontology/DCM"
LOINC_SYSTEM = "http://loinc.org"
V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074"
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
SNOMED_SYSTEM = "http://snomed.info/sct"

M = TypeVar("M", bound=FHIRAbstractModel)

GENDER = {"M": "male", "F": "female"}
# The status of a cancelled case's exam and report resources.
VOIDED = "entered-in-error"


class ResourceBuilder:
    """Bundle entries case by case; one Patient entry per identity even if it has several cases.

    Parts that are the same in every resource (drill tag, categories, fixed codings) are validated
    once here and shared as models: pydantic takes an instance of the right class as it is, which
    spares validating the same few dicts again in every one of 50,000 resources.
    """

    def __init__(
        self,
        base: str,
        incident: dict[str, Any],
        generated_at: str,
        priority_map: Mapping[str, str],
    ) -> None:
        self.base = base
        # Namespaced by site so two sites' case codes can never yield the same urn:uuid.
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, base)
        self.incident = incident
        self.generated_at = generated_at
        self.priority_map = priority_map
        self.entries: list[dict[str, Any]] = []
        self.patients: dict[str, str] = {}
        tags = case_tags(base)
        drill_tag = tags["drill"]
        self.drill_meta = Meta.model_validate({"tag": [drill_tag]})
        # Keyed by (is_drill, tag): a waived or cancelled drill case carries both tags.
        self.case_meta = {
            (drill, code): Meta.model_validate({"tag": [drill_tag, tag] if drill else [tag]})
            for drill in (False, True)
            for code, tag in tags.items()
            if code != "drill"
        }
        self.imaging_category = CodeableConcept.model_validate(
            {"coding": [{"system": SNOMED_SYSTEM, "code": "363679005", "display": "Imaging"}]}
        )
        self.radiology_category = CodeableConcept.model_validate(
            {"coding": [{"system": V2_0074, "code": "RAD"}]}
        )
        self.imaging_report_coding = Coding.model_validate(
            {"system": LOINC_SYSTEM, "code": "18748-4", "display": "Diagnostic imaging study"}
        )
        self.create_coding = Coding.model_validate({"system": DATA_OPERATION, "code": "CREATE"})
        self.agent_types: dict[str, CodeableConcept] = {}
        self.case_parts: dict[tuple[Any, ...], FHIRAbstractModel] = {}

    def _urn(self, key: str) -> str:
        return f"urn:uuid:{uuid.uuid5(self.namespace, key)}"

    def _shared(self, model: type[M], data: dict[str, str]) -> M:
        # A case's resources point at the same patient, request and people again and again:
        # each such small element is validated once per case and the model reused.
        key = (model, *data.items())
        if key not in self.case_parts:
            self.case_parts[key] = model.model_validate(data)
        return cast(M, self.case_parts[key])

    def _ref(self, url: str) -> Reference:
        return self._shared(Reference, {"reference": url})

    def _named(self, name: str) -> Reference:
        return self._shared(Reference, {"display": name})

    def _case_id(self, case: CaseExport) -> Identifier:
        return self._shared(Identifier, {"system": f"{self.base}/case-code", "value": case.code})

    def _add(
        self, case: CaseExport, resource: dict[str, Any], request: dict[str, str], key: str = ""
    ) -> str:
        url = self._urn(key or f"{case.code}/{resource['resourceType']}")
        # The Patient may have other cases, so only the case's own resources say it was
        # cancelled or waived.
        own = resource["resourceType"] != "Patient"
        if own and case.status == "cancelled":
            resource["meta"] = self.case_meta[(case.is_drill, "cancelled")]
        elif own and case.waived:
            resource["meta"] = self.case_meta[(case.is_drill, "waived")]
        elif case.is_drill:
            resource["meta"] = self.drill_meta
        self.entries.append({"fullUrl": url, "resource": resource, "request": request})
        return url

    def _put(self, case: CaseExport, resource: dict[str, Any]) -> str:
        rtype = resource["resourceType"]
        query = _identifier_query(f"{self.base}/case-code", case.code)
        return self._add(case, resource, {"method": "PUT", "url": f"{rtype}?{query}"})

    def case_entries(self, case: CaseExport) -> list[dict[str, Any]]:
        """The entries of one case (its Patient only if that identity is new to the bundle)."""
        self.entries = []
        self.case_parts = {}
        self._add_case(case)
        return self.entries

    def _add_case(self, case: CaseExport) -> None:
        patient = self._patient(case)
        request = self._put(case, self._service_request(case, patient))
        targets = [patient, request]
        study = None
        if case.exam is not None:
            procedure = self._put(case, self._procedure(case, case.exam, patient, request))
            study = self._put(case, self._study(case, case.exam, patient, request, procedure))
            targets += [procedure, study]
        if case.report is not None:
            targets.append(
                self._put(case, self._report(case, case.report, patient, request, study))
            )
        self._provenance(case, targets)

    def _patient(self, case: CaseExport) -> str:
        p = case.patient
        system = NATIONAL_ID_SYSTEMS.get(p.id_kind, f"{self.base}/reservnummer")
        # Keyed by identity, not case: two cases of one patient must not create two patients.
        key = f"Patient/{system}|{p.id_value}" if p.id_value else f"{case.code}/Patient"
        if key in self.patients:
            return self.patients[key]
        resource: dict[str, Any] = {
            "resourceType": "Patient",
            "gender": GENDER.get(p.sex, "unknown"),
        }
        request = {"method": "POST", "url": "Patient"}
        identifiers = []
        if p.id_value:
            use = "temp" if p.id_kind == "reserve" else "official"
            identifiers.append({"use": use, "system": system, "value": p.id_value})
            request["ifNoneExist"] = _identifier_query(system, p.id_value)
        # A reserve number the patient had before being identified: RIS and PACS may hold the
        # exam under it. An earlier personnummer is left out: it was a mix-up and belongs to
        # someone else (the Provenance names it for whoever moves the exam).
        for earlier in case.earlier_identities:
            old = {"use": "old", "system": f"{self.base}/reservnummer", "value": earlier.id_value}
            if earlier.id_kind == "reserve" and earlier.id_value and old not in identifiers:
                identifiers.append(old)
        if identifiers:
            resource["identifier"] = identifiers
        if p.name:
            resource["name"] = [{"text": p.name}]
        if p.birth_date:
            resource["birthDate"] = p.birth_date
        self.patients[key] = self._add(case, resource, request, key)
        return self.patients[key]

    def _service_request(self, case: CaseExport, patient: str) -> dict[str, Any]:
        ref, exam = case.referral, case.exam
        code, text = (ref.exam_code, ref.exam_text) if ref else ("", "")
        if not text and exam is not None:
            code, text = exam.exam_code, exam.exam_text
        identifiers: list[Any] = [self._case_id(case)]
        if case.ris_accession:
            identifiers.append(
                {"system": f"{self.base}/ris-accession", "value": case.ris_accession}
            )
        resource: dict[str, Any] = {
            "resourceType": "ServiceRequest",
            "identifier": identifiers,
            "status": request_status(case),
            "intent": "order",
            "category": [self.imaging_category],
            "subject": self._ref(patient),
        }
        if text:
            resource["code"] = self._exam_concept(code, text)
        if ref is None:
            return resource
        priority = self.priority_map.get(ref.priority) or default_priority(
            ref.priority, ref.priority_label
        )
        if priority:
            resource["priority"] = priority
        # The paper referral's own signing time is not captured; arrival is the closest we have.
        resource["authoredOn"] = ref.arrived_at
        requester = ", ".join(p for p in (ref.referrer_clinician, ref.referrer_unit) if p)
        if requester:
            resource["requester"] = self._named(requester)
        if ref.clinical_question:
            resource["reasonCode"] = [{"text": ref.clinical_question}]
        notes = [
            f"Anamnes: {ref.history}" if ref.history else "",
            f"Svarsfax: {ref.reply_fax}" if ref.reply_fax else "",
            f"Remittentens telefon: {ref.referrer_phone}" if ref.referrer_phone else "",
            f"Remiss mottagen via {ref.arrived_via} av {ref.received_by}",
        ]
        resource["note"] = [{"text": n} for n in notes if n]
        return resource

    def _exam_concept(self, code: str, text: str) -> dict[str, Any]:
        concept: dict[str, Any] = {"text": text}
        if code:
            concept["coding"] = [
                {"system": f"{self.base}/exam-code", "code": code, "display": text}
            ]
        return concept

    def _procedure(
        self, case: CaseExport, exam: ExamData, patient: str, request: str
    ) -> dict[str, Any]:
        period = {"start": exam.started_at}
        if exam.ended_at:
            period["end"] = exam.ended_at
        resource: dict[str, Any] = {
            "resourceType": "Procedure",
            "identifier": [self._case_id(case)],
            "basedOn": [self._ref(request)],
            # A cancelled case is void (a duplicate, a mistake): what it documented must not
            # become a second exam on the receiving side, even if an earlier export sent it.
            "status": VOIDED if case.status == "cancelled" else "completed",
            "category": self.imaging_category,
            "code": self._exam_concept(exam.exam_code, exam.exam_text),
            "subject": self._ref(patient),
            "performedPeriod": period,
        }
        if exam.radiographers:
            resource["performer"] = [{"actor": self._named(exam.radiographers)}]
        if exam.room:
            resource["location"] = self._named(exam.room)
        if exam.complications:
            resource["complication"] = [{"text": exam.complications}]
        return resource

    def _study(
        self, case: CaseExport, exam: ExamData, patient: str, request: str, procedure: str
    ) -> dict[str, Any]:
        identifiers: list[Any] = [self._case_id(case)]
        if exam.modality_temp_id:
            identifiers.append(
                {"system": f"{self.base}/modality-temp-id", "value": exam.modality_temp_id}
            )
        # Images that never reached PACS exist only on the modality: registered, not available.
        status = "available" if exam.pacs_status == "yes" else "registered"
        if case.status == "cancelled":
            status = VOIDED
        resource: dict[str, Any] = {
            "resourceType": "ImagingStudy",
            "identifier": identifiers,
            "status": status,
            "subject": self._ref(patient),
            "started": exam.started_at,
            "basedOn": [self._ref(request)],
            "procedureReference": self._ref(procedure),
            "description": exam.exam_text,
        }
        if exam.modality:
            resource["modality"] = [{"system": DICOM_SYSTEM, "code": exam.modality}]
        if exam.series_count is not None:
            resource["numberOfSeries"] = exam.series_count
        if exam.image_count is not None:
            resource["numberOfInstances"] = exam.image_count
        notes = [dose_text(exam), contrast_text(exam), exam.notes]
        if exam.pacs_status != "yes":
            notes.append(f"Bilder ej i PACS (status: {exam.pacs_status})")
        if any(notes):
            resource["note"] = [{"text": n} for n in notes if n]
        return resource

    def _report(
        self, case: CaseExport, report: ReportData, patient: str, request: str, study: str | None
    ) -> dict[str, Any]:
        exam_text = (
            case.exam.exam_text if case.exam else (case.referral.exam_text if case.referral else "")
        )
        code: dict[str, Any] = {"coding": [self.imaging_report_coding]}
        if exam_text:
            code["text"] = exam_text
        full_text = report_full_text(report)
        resource: dict[str, Any] = {
            "resourceType": "DiagnosticReport",
            "identifier": [self._case_id(case)],
            "basedOn": [self._ref(request)],
            "status": VOIDED if case.status == "cancelled" else report.fhir_status,
            "category": [self.radiology_category],
            "code": code,
            "subject": self._ref(patient),
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
            resource["resultsInterpreter"] = [self._named(report.author)]
        if study:
            resource["imagingStudy"] = [self._ref(study)]
        summary = conclusion(report)
        if summary:
            resource["conclusion"] = summary
        return resource

    def _provenance(self, case: CaseExport, targets: list[str]) -> None:
        agents: list[tuple[str, str]] = []

        def agent(kind: str, name: str) -> None:
            if name and (kind, name) not in agents:
                agents.append((kind, name))

        if case.referral:
            agent("enterer", case.referral.received_by)
        if case.exam:
            agent("performer", case.exam.radiographers)
            agent("enterer", case.exam.documented_by)
        if case.report:
            agent("author", case.report.author)
            for sig in case.report.signatures:
                agent("author", sig.signer)
            for add in case.report.addenda:
                agent("author", add.author)
        for step in case.steps:
            agent("enterer", step.by)
        agent("verifier", case.verified_by)
        # Always one agent (required 1..*): the app that assembled the record from the paper.
        agent("assembler", "Reservrutin")
        resource = {
            "resourceType": "Provenance",
            "target": [self._ref(t) for t in targets],
            "recorded": case.updated_at or self.generated_at,
            "activity": {
                "coding": [self.create_coding],
                "text": activity_text(case, self.incident),
            },
            "agent": [
                {"type": self._agent_type(kind), "who": self._named(name)} for kind, name in agents
            ],
        }
        self._add(case, resource, {"method": "POST", "url": "Provenance"})

    def _agent_type(self, kind: str) -> CodeableConcept:
        if kind not in self.agent_types:
            self.agent_types[kind] = CodeableConcept.model_validate(
                {"coding": [{"system": PARTICIPANT_TYPE, "code": kind}]}
            )
        return self.agent_types[kind]


def _identifier_query(system: str, value: str) -> str:
    return f"identifier={quote(system, safe=':/')}|{quote(value, safe='')}"
