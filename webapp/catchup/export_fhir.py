"""The reconciliation batch as a FHIR R4 transaction Bundle for a RIS integration engine.

The resources of each case come from fhir_resources. Each is validated on its own with the R4B
models of fhir.resources (R4B is wire-compatible with R4 for these resources) as it is made, then
written out, so a 10,000-case bundle is never held in memory as one model: validating it whole
took 2 GB and about two minutes. Validation is the point: an invalid resource must stop the
export here, not in the integration engine.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from fhir.resources.R4B.imagingstudy import ImagingStudy
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.provenance import Provenance
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir_core.fhirabstractmodel import FHIRAbstractModel
from pydantic import ValidationError

from .batch import CaseExport
from .fhir_plain import fhir_plain
from .fhir_resources import PatientHistory, ResourceBuilder, patient_history
from .json_stream import iter_document
from .moved_out import MovedOut
from .moved_out_export import withdrawn_entries

RESOURCE_MODELS: dict[str, type[FHIRAbstractModel]] = {
    model.__resource_type__: model
    for model in (
        Patient,
        ServiceRequest,
        Procedure,
        ImagingStudy,
        DiagnosticReport,
        Provenance,
    )
}


class FhirValidationError(ValueError):
    """A resource of the export is not valid FHIR; names the case and the resource."""


def iter_fhir_bundle(
    cases: Iterable[CaseExport],
    *,
    incident: dict[str, Any],
    generated_at: str,
    system_base: str,
    priority_map: Mapping[str, str] | None = None,
    withdrawn: Sequence[MovedOut] = (),
    history: PatientHistory | None = None,
) -> Iterator[str]:
    """The validated transaction Bundle as JSON text (indent 1), written one entry at a time.

    withdrawn: cases moved out since an export held them; each now a drill's comes first, its
    request entered-in-error (moved_out_export.withdrawn_entries).

    priority_map maps the site's priority codes to FHIR request priorities
    (routine | urgent | asap | stat); see fhir_priority_map(). Without it a Swedish default is
    guessed from the code and label.

    history: the earlier identities of every case of each patient, by the identity it has now
    (identities.earlier_identities_by_patient): a Patient is written at its first case, before
    the later ones are read. Without it a Patient has only its first case's.
    """
    builder = _builder(incident, generated_at, system_base, priority_map, history)
    head, tail = _bundle_fields(builder, incident, generated_at)
    voided = (
        _validated_entry(entry, entry["resource"]["identifier"][0]["value"])
        for entry in withdrawn_entries(withdrawn, builder.base, builder.urn)
    )
    entries = itertools.chain(voided, _entries(builder, cases))
    yield from iter_document(head, "entry", entries, indent=1, tail=tail, omit_if_empty=True)


def to_fhir_bundle(
    cases: Iterable[CaseExport],
    *,
    incident: dict[str, Any],
    generated_at: str,
    system_base: str,
    priority_map: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The same validated Bundle as one JSON-ready dict."""
    cases = list(cases)
    builder = _builder(incident, generated_at, system_base, priority_map, patient_history(cases))
    head, tail = _bundle_fields(builder, incident, generated_at)
    entries = list(_entries(builder, cases))
    return head | ({"entry": entries} if entries else {}) | tail


def fhir_priority_map(ranks: Mapping[str, int]) -> dict[str, str]:
    """Site priority codes by rank -> FHIR: first rank stat, last routine, between urgent."""
    if not ranks:
        return {}
    first, last = min(ranks.values()), max(ranks.values())
    return {
        code: "stat" if rank == first else "routine" if rank == last else "urgent"
        for code, rank in ranks.items()
    }


def _builder(
    incident: dict[str, Any],
    generated_at: str,
    system_base: str,
    priority_map: Mapping[str, str] | None,
    history: PatientHistory | None = None,
) -> ResourceBuilder:
    base = system_base.rstrip("/")
    return ResourceBuilder(base, incident, generated_at, priority_map or {}, history)


def _entries(builder: ResourceBuilder, cases: Iterable[CaseExport]) -> Iterator[dict[str, Any]]:
    for case in cases:
        for entry in builder.case_entries(case):
            yield _validated_entry(entry, case.code)


def _validated_entry(entry: dict[str, Any], case_code: str) -> dict[str, Any]:
    resource = entry["resource"]
    resource_type = resource["resourceType"]
    try:
        # The resource through its own model first: the bundle entry then takes the model as it is.
        model = RESOURCE_MODELS[resource_type].model_validate(resource)
        validated = BundleEntry.model_validate(entry | {"resource": model})
    except ValidationError as exc:
        raise FhirValidationError(
            f"Case {case_code}: the {resource_type} is not valid FHIR R4B: {exc}"
        ) from exc
    return fhir_plain(validated)


def _bundle_fields(
    builder: ResourceBuilder, incident: dict[str, Any], generated_at: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The Bundle's own elements (validated), split around where the entries go."""
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "transaction",
        "timestamp": generated_at,
    }
    if incident.get("is_drill"):
        bundle["meta"] = builder.drill_meta
    fields = fhir_plain(Bundle.model_validate(bundle))
    order = Bundle.elements_sequence()
    after = order[order.index("entry") + 1 :]
    head = {k: v for k, v in fields.items() if k not in after}
    tail = {k: v for k, v in fields.items() if k in after}
    return head, tail
