"""Exports written a case (or a FHIR entry) at a time: the same bytes as serialising the whole
document at once, every FHIR resource still validated (the database side: test_export_batches)."""

from __future__ import annotations

import json
import random
from dataclasses import asdict, replace
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from pydantic import ValidationError

from webapp.catchup import export_csv
from webapp.catchup.batch import CaseExport
from webapp.catchup.export_csv import to_csv
from webapp.catchup.export_fhir import FhirValidationError, iter_fhir_bundle
from webapp.catchup.export_json import to_json
from webapp.catchup.fhir_plain import fhir_plain
from webapp.catchup.fhir_resources import ResourceBuilder
from webapp.catchup.json_stream import dumps_indented, iter_document

from .export_cases import (
    BASE,
    GENERATED,
    INCIDENT,
    SignatureData,
    all_cases,
    case,
    exam,
    patient,
    report,
    steps,
)

DRILL_INCIDENT = INCIDENT | {"is_drill": True}


def drill_cases() -> list[CaseExport]:
    return [replace(c, is_drill=True) for c in all_cases()]


def waived_cases() -> list[CaseExport]:
    """Every case waived (the tag and activity text), one of them a drill (both tags)."""
    waiver = {"waived": True, "waived_by": "S", "waive_reason": "Inlagd direkt i RIS"}
    waived = [replace(c, **waiver, waived_at="2025-03-02T08:00:00+00:00") for c in all_cases()]
    return [*waived, replace(waived[0], code="DR11LL", is_drill=True)]


def odd_cases() -> list[CaseExport]:
    """Values a serialiser could get wrong: microseconds, offsets, whitespace, no exam end."""
    return [
        case(
            code="MS01US",
            updated_at="2025-03-02T02:00:00.123456+00:00",
            patient=patient(name="  Åsa  ", birth_date="1912-02-29"),
            exam=exam(started_at="2025-03-01T22:30:00.5+01:00", ended_at=None, notes="a\tb\nc"),
            report=report(
                signatures=[SignatureData("preliminary", "R", "2025-03-01T23:00:00.000001+00:00")],
                addenda=[],
                fhir_status="preliminary",
            ),
        )
    ]


CASE_SETS = {
    "plain": (INCIDENT, all_cases),
    "drill": (DRILL_INCIDENT, drill_cases),
    "odd values": (INCIDENT, odd_cases),
    "waived": (INCIDENT, waived_cases),
    "empty": (INCIDENT, list),
}


def streamed_fhir(cases: list[CaseExport], incident: dict[str, Any] = INCIDENT) -> str:
    return "".join(
        iter_fhir_bundle(cases, incident=incident, generated_at=GENERATED, system_base=BASE)
    )


def whole_bundle_fhir(cases: list[CaseExport], incident: dict[str, Any]) -> str:
    """The bundle as it was made before: validated as one model, dumped, then json.dumps."""
    builder = ResourceBuilder(BASE, incident, GENERATED, {})
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "transaction",
        "timestamp": GENERATED,
        "entry": [entry for c in cases for entry in builder.case_entries(c)],
    }
    if incident["is_drill"]:
        bundle["meta"] = builder.drill_meta
    dumped = Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)
    return json.dumps(dumped, ensure_ascii=False, indent=1)


# --- FHIR ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CASE_SETS)
def test_fhir_bundle_is_what_validating_it_whole_gave(name: str) -> None:
    incident, cases = CASE_SETS[name]
    assert streamed_fhir(cases(), incident) == whole_bundle_fhir(cases(), incident)


@pytest.mark.parametrize("name", CASE_SETS)
def test_fast_serialiser_matches_model_dump(name: str) -> None:
    incident, cases = CASE_SETS[name]
    builder = ResourceBuilder(BASE, incident, GENERATED, {})
    for c in cases():
        for entry in builder.case_entries(c):
            model = BundleEntry.model_validate(entry)
            expected = model.model_dump(mode="json", exclude_none=True)
            # Compared as text so that the key order must match too.
            assert json.dumps(fhir_plain(model)) == json.dumps(expected)


@pytest.mark.parametrize(
    "model",
    [
        Patient.model_validate({"birthDate": "1970", "_birthDate": {"id": "partial-date"}}),
        Patient.model_validate({"photo": [{"data": "w6XDpMO2", "contentType": "image/png"}]}),
        Observation.model_validate(
            {
                "status": "final",
                "code": {"text": "Kreatinin"},
                "valueQuantity": {"value": 81.50, "unit": "µmol/l"},
                "effectiveDateTime": "2025-03-01T10:00:00.250-05:00",
                "issued": "2025-03-01T15:00:00Z",
            }
        ),
        Observation.model_validate(
            {"status": "final", "code": {"text": "eGFR"}, "valueQuantity": {"value": 62}}
        ),
    ],
    ids=["partial date + extension", "base64", "decimal + offsets", "integral decimal"],
)
def test_fast_serialiser_matches_model_dump_for_other_primitives(model: Any) -> None:
    expected = model.model_dump(mode="json", exclude_none=True)
    assert json.dumps(fhir_plain(model)) == json.dumps(expected)


@pytest.mark.parametrize(
    ("bad_case", "resource", "element"),
    [
        (case(patient=patient(birth_date="1912-13-45")), "Patient", "birthDate"),
        (case(exam=exam(started_at="igår kväll")), "Procedure", "performedPeriod"),
        (case(report=report(fhir_status="")), "DiagnosticReport", "status"),
        (case(updated_at="2025-03-02 02:00"), "Provenance", "recorded"),
    ],
    ids=["first entry", "middle entry", "report", "last entry"],
)
def test_every_fhir_entry_is_validated(bad_case: CaseExport, resource: str, element: str) -> None:
    cases = [case(code="OK11OK", patient=patient(id_value="199001012380")), bad_case]
    with pytest.raises(FhirValidationError) as refused:
        streamed_fhir(cases)
    message = str(refused.value)
    assert message.startswith(f"Case AB12CD: the {resource} is not valid FHIR R4B")
    assert element in message
    assert isinstance(refused.value.__cause__, ValidationError)


# --- JSON and CSV --------------------------------------------------------------------------


@pytest.mark.parametrize("cases", [all_cases, drill_cases, list], ids=["plain", "drill", "empty"])
def test_json_is_what_dumping_it_whole_gave(cases: Any) -> None:
    whole = {
        "schema": "reservrutin-batch/1",
        "incident": INCIDENT,
        "generated_at": GENERATED,
        "since": None,
        "cases": [asdict(c) for c in cases()],
    }
    expected = json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    assert to_json(cases(), incident=INCIDENT, generated_at=GENERATED, since=None) == expected


def test_csv_in_blocks_is_one_file(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = all_cases() * 3
    whole = to_csv(cases)
    monkeypatch.setattr(export_csv, "ROWS_PER_CHUNK", 2)
    assert to_csv(cases) == whole


def test_csv_refuses_cases_with_other_steps() -> None:
    odd = case(code="ZZ99ZZ", steps=steps()[:2])
    with pytest.raises(ValueError, match="ZZ99ZZ has other catch-up steps"):
        to_csv([case(), odd])


# --- the JSON writer -----------------------------------------------------------------------


def _random_value(rnd: random.Random, depth: int = 0) -> Any:
    leaves = ["", 'å"\\\n\t\x01\u2028–', 0, -5, 10**20, 1.5, 1e20, 1e-7, True, False, None]
    roll = rnd.random()
    if depth > 3 or roll < 0.4:
        return rnd.choice(leaves)
    if roll < 0.7:
        keys = [rnd.choice(["a", "ö", " ", "\n"]) + str(i) for i in range(rnd.randint(0, 4))]
        return {key: _random_value(rnd, depth + 1) for key in keys}
    return [_random_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]


@pytest.mark.parametrize("indent", [1, 2])
def test_json_writer_writes_what_json_dumps_writes(indent: int) -> None:
    rnd = random.Random(indent)
    specials = [float("nan"), float("inf"), -float("inf"), (1, "två"), {}, [], {"a": {}}]
    for value in specials + [_random_value(rnd) for _ in range(500)]:
        assert dumps_indented(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


@pytest.mark.parametrize("items", [[], [1], [{"a": [1, {}]}, "b"]])
@pytest.mark.parametrize("omit_if_empty", [False, True])
def test_json_writer_streams_a_document(items: list[Any], omit_if_empty: bool) -> None:
    head, tail = {"a": 1, "b": {"c": [2]}}, {"z": "slut"}
    document = head | ({} if omit_if_empty and not items else {"list": items}) | tail
    streamed = iter_document(
        head, "list", iter(items), indent=1, tail=tail, omit_if_empty=omit_if_empty
    )
    assert "".join(streamed) == json.dumps(document, indent=1)
