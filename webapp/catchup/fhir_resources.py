"""The FHIR resources of one case, as JSON-ready dicts for a transaction Bundle entry.

Per case: Patient, ServiceRequest, ImagingStudy + Procedure (if examined), DiagnosticReport (if
reported) and a Provenance saying it was captured on the downtime routine.

Re-exports ("changes since") must not duplicate data on the receiving side, so:
- fullUrls are uuid5 of site + case code + resource type: the same case gives the same urn:uuid;
- Patient is a conditional create on its identifier (never overwrite the master patient record);
- the case's own resources are conditional updates (PUT Type?identifier=case-code), so a report
  exported preliminary and later final replaces itself instead of appearing twice;
- Provenance is a plain POST: every export is a new act of provenance.

An unidentified patient's estimated age is the Patient extension <base>/approximate-age,
valueAge in UCUM years (docs/batch-schema.json says so beside the JSON's approx_age).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .batch import CaseExport, EarlierIdentity
from .fhir_exam import procedure_resource, report_resource, study_resource
from .fhir_parts import NATIONAL_ID_SYSTEMS, CaseParts, identifier_query
from .fhir_text import (
    activity_text,
    care_notes,
    default_priority,
    release_notes,
    request_status,
    safety_notes,
)

GENDER = {"M": "male", "F": "female"}
# R4 has no element for an estimated age, and a guessed birthDate would read as a known one;
# so an extension under the export's own systems, its value an Age in UCUM years.
APPROX_AGE_EXTENSION = "approximate-age"


PatientHistory = Mapping[tuple[str, str], Sequence[EarlierIdentity]]


def patient_history(cases: Iterable[CaseExport]) -> dict[tuple[str, str], list[EarlierIdentity]]:
    """Every case's earlier identities by the (id kind, number) it has now, in case order."""
    found: dict[tuple[str, str], list[EarlierIdentity]] = {}
    for case in cases:
        if case.earlier_identities and case.patient.id_value:
            key = (case.patient.id_kind, case.patient.id_value)
            found.setdefault(key, []).extend(case.earlier_identities)
    return found


class ResourceBuilder(CaseParts):
    """Bundle entries case by case; one Patient entry per identity even if it has several cases.

    history: the earlier identities of every case of each patient named now (patient_history,
    or identities.earlier_identities_by_patient when the cases are streamed). A Patient is
    written at its first case, and must carry the reserve numbers of its later cases too.
    """

    def __init__(
        self,
        base: str,
        incident: dict[str, Any],
        generated_at: str,
        priority_map: Mapping[str, str],
        history: PatientHistory | None = None,
    ) -> None:
        super().__init__(base, incident, generated_at, priority_map)
        self.history: PatientHistory = history or {}

    def _add(
        self, case: CaseExport, resource: dict[str, Any], request: dict[str, str], key: str = ""
    ) -> str:
        url = self.urn(key or f"{case.code}/{resource['resourceType']}")
        # The Patient may have other cases, so only the case's own resources say it was
        # cancelled or waived.
        own = resource["resourceType"] != "Patient"
        if own and case.status == "cancelled":
            resource["meta"] = self.case_meta[(case.is_drill, "cancelled")]
        elif own and case.waived:
            tag = "waiver-pending" if case.waiver_pending else "waived"
            resource["meta"] = self.case_meta[(case.is_drill, tag)]
        elif case.is_drill:
            resource["meta"] = self.drill_meta
        self.entries.append({"fullUrl": url, "resource": resource, "request": request})
        return url

    def _put(self, case: CaseExport, resource: dict[str, Any]) -> str:
        rtype = resource["resourceType"]
        query = identifier_query(f"{self.base}/case-code", case.code)
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
            procedure = self._put(case, procedure_resource(self, case, case.exam, patient, request))
            study = self._put(
                case, study_resource(self, case, case.exam, patient, request, procedure)
            )
            targets += [procedure, study]
        # A draft is no DiagnosticReport: a receiver would show even a 'partial' one as a result.
        if case.report is not None and case.report.state != "draft":
            targets.append(
                self._put(case, report_resource(self, case, case.report, patient, request, study))
            )
        self._provenance(case, targets)

    def _patient(self, case: CaseExport) -> str:
        p = case.patient
        system = NATIONAL_ID_SYSTEMS.get(p.id_kind, f"{self.base}/reservnummer")
        national = p.id_kind in NATIONAL_ID_SYSTEMS and bool(p.id_value)
        # Keyed by identity, not case: two cases of one patient must not create two patients.
        # A reserve number names no one for sure: it is per department, comes round again and
        # stays on an identified patient as an old identifier, so its patient is one per case.
        key = f"Patient/{system}|{p.id_value}" if national else f"{case.code}/Patient"
        if key in self.patients:
            return self.patients[key]
        resource: dict[str, Any] = {
            "resourceType": "Patient",
            "gender": GENDER.get(p.sex, "unknown"),
        }
        request = {"method": "POST", "url": "Patient"}
        identifiers = []
        if p.id_value:
            use = "official" if national else "temp"
            identifiers.append({"use": use, "system": system, "value": p.id_value})
        if national:
            request["ifNoneExist"] = identifier_query(system, p.id_value)
        else:
            # Never a conditional create on the reserve number: a server already holding a
            # patient under it (an earlier wearer, or one identified since, who keeps it as an
            # old identifier) would match, and this case's exams would be filed under them. Nor
            # an unconditional create: every re-export would add the patient again. Matched on
            # the case code instead, which only this case's patient ever carries.
            own = {"use": "secondary", "system": f"{self.base}/patient-of-case", "value": case.code}
            identifiers.append(own)
            request["ifNoneExist"] = identifier_query(own["system"], case.code)
        # A reserve number the patient had before being identified: RIS and PACS may hold the
        # exam under it, and the name it was given then. An earlier personnummer is left out: it
        # was a mix-up and belongs to someone else (the Provenance names it for whoever moves
        # the exam). A personnummer's Patient has every case's: it is written only once.
        earlier = list(case.earlier_identities)
        if national:
            earlier += self.history.get((p.id_kind, p.id_value), ())
        names = [{"text": p.name}] if p.name else []
        for e in earlier:
            if e.id_kind != "reserve":
                continue
            old = {"use": "old", "system": f"{self.base}/reservnummer", "value": e.id_value}
            if e.id_value and old not in identifiers:
                identifiers.append(old)
            if e.name and all(n["text"] != e.name for n in names):
                names.append({"use": "old", "text": e.name})
        if identifiers:
            resource["identifier"] = identifiers
        if names:
            resource["name"] = names
        if p.birth_date:
            resource["birthDate"] = p.birth_date
        elif p.approx_age is not None:
            # As the CSV's column: only an unidentified patient's, a birth date says the rest.
            resource["extension"] = [self._approx_age(p.approx_age)]
        self.patients[key] = self._add(case, resource, request, key)
        return self.patients[key]

    def _approx_age(self, years: int) -> dict[str, Any]:
        age = {"value": years, "unit": "år", "system": "http://unitsofmeasure.org", "code": "a"}
        return {"url": f"{self.base}/{APPROX_AGE_EXTENSION}", "valueAge": age}

    def _service_request(self, case: CaseExport, patient: str) -> dict[str, Any]:
        ref, exam = case.referral, case.exam
        code, text = (ref.exam_code, ref.exam_text) if ref else ("", "")
        if not text and exam is not None:
            code, text = exam.exam_code, exam.exam_text
        identifiers: list[Any] = [self.case_id(case)]
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
            "subject": self.ref(patient),
        }
        if text:
            resource["code"] = self.exam_concept(code, text)
        if ref is None:
            if case.release_notes:
                resource["note"] = release_notes(case)
            return resource
        body_site = self.body_site(ref.side)
        if body_site:
            resource["bodySite"] = body_site
        priority = self.priority_map.get(ref.priority) or default_priority(
            ref.priority, ref.priority_label
        )
        if priority:
            resource["priority"] = priority
        if ref.contrast_planned:
            resource["orderDetail"] = [self.contrast_planned]
        # The paper referral's own signing time is not captured; arrival is the closest we have.
        resource["authoredOn"] = ref.arrived_at
        requester = ", ".join(p for p in (ref.referrer_clinician, ref.referrer_unit) if p)
        if requester:
            resource["requester"] = self.named(requester)
        if ref.clinical_question:
            resource["reasonCode"] = [{"text": ref.clinical_question}]
        notes = [
            f"Anamnes: {ref.history}" if ref.history else "",
            f"Svarsfax: {ref.reply_fax}" if ref.reply_fax else "",
            f"Remittentens telefon: {ref.referrer_phone}" if ref.referrer_phone else "",
            f"Remiss mottagen via {ref.arrived_via} av {ref.received_by}",
            *safety_notes(ref),
            *care_notes(ref),
            *(c.with_report() for c in case.urgent_calls),
        ]
        resource["note"] = [{"text": n} for n in notes if n]
        if ref.protocol:
            # The radiologist's instruction, with its author and time as an Annotation has them.
            protocol: dict[str, Any] = {"text": f"Radiologens instruktion: {ref.protocol}"}
            if ref.protocol_by:
                protocol["authorString"] = ref.protocol_by
            if ref.protocol_at:
                protocol["time"] = ref.protocol_at
            resource["note"].append(protocol)
        resource["note"].extend(release_notes(case))
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
                agent("enterer", sig.keyed_by)
            for add in case.report.addenda:
                agent("author", add.author)
        for step in case.steps:
            agent("enterer", step.by)
        agent("verifier", case.verified_by)
        # Always one agent (required 1..*): the app that assembled the record from the paper.
        agent("assembler", "Reservrutin")
        resource = {
            "resourceType": "Provenance",
            "target": [self.ref(t) for t in targets],
            "recorded": case.updated_at or self.generated_at,
            "activity": {
                "coding": [self.create_coding],
                "text": activity_text(case, self.incident),
            },
            "agent": [
                {"type": self.agent_type(kind), "who": self.named(name)} for kind, name in agents
            ],
        }
        self._add(case, resource, {"method": "POST", "url": "Provenance"})
