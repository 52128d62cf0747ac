"""What every FHIR resource of a case is built from: code systems and shared, validated parts."""

from __future__ import annotations

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

from .batch import CaseExport
from .fhir_text import case_tags

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
# Laterality qualifier values (SNOMED CT 182353008 "Side"), for bodySite.
LATERALITY = {
    "right": ("24028007", "Right", "Höger"),
    "left": ("7771000", "Left", "Vänster"),
    "both": ("51440002", "Right and left", "Båda sidor"),
}

M = TypeVar("M", bound=FHIRAbstractModel)

# The status of a cancelled case's report (its order is revoked, its performed exam kept).
VOIDED = "entered-in-error"


class CaseParts:
    """The parts shared by the resources of a bundle, each validated once.

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
        # Keyed by (is_drill, tag): a waived or cancelled drill case carries both tags, and a
        # waiver still waiting for its confirmation is tagged waived as well.
        own_tags = {
            "cancelled": [tags["cancelled"]],
            "waived": [tags["waived"]],
            "waiver-pending": [tags["waived"], tags["waiver-pending"]],
        }
        self.case_meta = {
            (drill, code): Meta.model_validate({"tag": [drill_tag, *tagged] if drill else tagged})
            for drill in (False, True)
            for code, tagged in own_tags.items()
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
        # The referral asked for contrast: a detail of the order (what was given, the exam's note).
        self.contrast_planned = CodeableConcept.model_validate({"text": "Med kontrastmedel"})
        self.create_coding = Coding.model_validate({"system": DATA_OPERATION, "code": "CREATE"})
        # The side of a sided exam as a bodySite: SNOMED CT's laterality qualifiers (the
        # catalogue has no body-site codes to pair them with), the Swedish word as text.
        self.laterality = {
            side: CodeableConcept.model_validate(
                {
                    "coding": [{"system": SNOMED_SYSTEM, "code": code, "display": display}],
                    "text": text,
                }
            )
            for side, (code, display, text) in LATERALITY.items()
        }
        self.agent_types: dict[str, CodeableConcept] = {}
        self.case_parts: dict[tuple[Any, ...], FHIRAbstractModel] = {}

    def urn(self, key: str) -> str:
        return f"urn:uuid:{uuid.uuid5(self.namespace, key)}"

    def shared(self, model: type[M], data: dict[str, str]) -> M:
        # A case's resources point at the same patient, request and people again and again:
        # each such small element is validated once per case and the model reused.
        key = (model, *data.items())
        if key not in self.case_parts:
            self.case_parts[key] = model.model_validate(data)
        return cast(M, self.case_parts[key])

    def ref(self, url: str) -> Reference:
        return self.shared(Reference, {"reference": url})

    def named(self, name: str) -> Reference:
        return self.shared(Reference, {"display": name})

    def case_id(self, case: CaseExport) -> Identifier:
        return self.shared(Identifier, {"system": f"{self.base}/case-code", "value": case.code})

    def exam_concept(self, code: str, text: str) -> dict[str, Any]:
        concept: dict[str, Any] = {"text": text}
        if code:
            concept["coding"] = [
                {"system": f"{self.base}/exam-code", "code": code, "display": text}
            ]
        return concept

    def body_site(self, side: str) -> list[CodeableConcept] | None:
        """The side as the bodySite of a ServiceRequest or Procedure; None when not given."""
        concept = self.laterality.get(side)
        return [concept] if concept is not None else None

    def agent_type(self, kind: str) -> CodeableConcept:
        if kind not in self.agent_types:
            self.agent_types[kind] = CodeableConcept.model_validate(
                {"coding": [{"system": PARTICIPANT_TYPE, "code": kind}]}
            )
        return self.agent_types[kind]


def identifier_query(system: str, value: str) -> str:
    return f"identifier={quote(system, safe=':/')}|{quote(value, safe='')}"
