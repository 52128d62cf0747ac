"""Exports written a case (or a FHIR entry) at a time: the same bytes as serialising the whole
document at once, every FHIR resource still validated, the same file whatever the chunk size."""

from __future__ import annotations

import json
import random
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from flask import Flask
from flask.testing import FlaskClient
from pydantic import ValidationError
from reportlab.platypus import Table
from sqlalchemy import func, select

from printforms import incident_list
from printforms.data import IncidentCaseRow, IncidentListData
from webapp.catchup import batch_reader, export_csv, exporting, fhir_resources
from webapp.catchup.batch import CaseExport
from webapp.catchup.batch_views import document_urls_for
from webapp.catchup.export_csv import to_csv
from webapp.catchup.export_fhir import FhirValidationError, iter_fhir_bundle
from webapp.catchup.export_json import to_json
from webapp.catchup.fhir_plain import fhir_plain
from webapp.catchup.fhir_resources import ResourceBuilder
from webapp.catchup.json_stream import dumps_indented, iter_document
from webapp.extensions import db
from webapp.models import ExportBatch, Incident
from webapp.siteconfig import Priority
from webapp.sites import site_config

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
from .factories import exam_data, referral_data

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


# --- read from the database a chunk at a time ----------------------------------------------


@pytest.fixture
def incident_id(app: Flask, client: FlaskClient, auth) -> int:
    """An incident with five cases of two patients: reported, examined, ticked, one unexamined."""
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    cases = []
    for n in range(5):
        # Every other case is the same woman, so her Patient entry is shared across chunks.
        woman = {"personal_number": "19800101-0027", "pregnancy": "no"} if n % 2 else {}
        data = referral_data(key_suffix=str(n), patient_name=f"Patient {n}", **woman)
        cases.append(client.post("/cases/new", data=data).headers["Location"])
    for n, url in enumerate(cases[:4]):
        client.post(url + "/exam", data=exam_data(key_suffix=str(n)))
    auth.logout()
    auth.login("radiologist")
    report_form = {"sections-0-heading": "Bedömning", "sections-0-text": "Normalt."}
    for n, url in enumerate(cases[:2]):
        form = report_form | {"form_key": f"r{n}" * 10, "action": "definitive"}
        client.post(url.replace("/cases/", "/reporting/"), data=form)
    auth.logout()
    auth.login("secretary")
    case_id = cases[0].rsplit("/", 1)[-1]
    client.post(f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "1"})
    return int(location.rsplit("/", 1)[-1])


def _exports(app: Flask, incident_id: int) -> dict[str, bytes]:
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        assert incident is not None
        return {
            fmt: exporting.export_batch(
                incident=incident,
                config=site_config(incident.site),
                fmt=fmt,
                user=None,
                changed_only=False,
                system_base="http://localhost",
                document_urls=document_urls_for("http://localhost"),
            ).content
            for fmt in ("csv", "json", "fhir")
        }


def test_export_file_is_named_by_the_local_time(
    app: Flask, incident_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 18:56 UTC on a winter day is 19:56 in Stockholm, the time the screen shows.
    monkeypatch.setattr(exporting, "utcnow", lambda: datetime(2026, 12, 1, 18, 56, tzinfo=UTC))
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        assert incident is not None
        made = exporting.export_batch(
            incident=incident,
            config=site_config(incident.site),
            fmt="csv",
            user=None,
            changed_only=False,
            system_base="http://localhost",
        )
    assert made.filename.endswith("-20261201-1956.csv"), made.filename


def test_export_is_the_same_whatever_the_chunk_size(
    app: Flask, incident_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exporting, "utcnow", lambda: datetime(2026, 1, 16, 8, 0, tzinfo=UTC))
    whole = _exports(app, incident_id)
    monkeypatch.setattr(batch_reader, "CHUNK_SIZE", 2)
    assert _exports(app, incident_id) == whole
    document = json.loads(whole["json"])
    assert [c["patient"]["name"] for c in document["cases"]] == [f"Patient {n}" for n in range(5)]
    assert [c["report"] is not None for c in document["cases"]] == [True, True] + [False] * 3
    assert document["cases"][0]["steps"][0]["done"] is True
    assert all(c["documents"] for c in document["cases"])


def test_fhir_priority_follows_the_sites_ranking(app: Flask, incident_id: int) -> None:
    # A site whose most urgent level is "omedelbart" ranks "akut" second: its referrals are
    # FHIR "urgent", not the "stat" the word akut alone would suggest.
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        assert incident is not None
        config = replace(
            site_config(incident.site),
            priorities=(
                Priority("omedelbart", "Omedelbart", 1),
                Priority("akut", "Akut", 2),
                Priority("rutin", "Rutin", 3),
            ),
        )
        content = exporting.export_batch(
            incident=incident,
            config=config,
            fmt="fhir",
            user=None,
            changed_only=False,
            system_base="http://localhost",
        ).content
    bundle = json.loads(content)
    requests = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ServiceRequest"
    ]
    assert len(requests) == 5
    assert {r["priority"] for r in requests} == {"urgent"}


def test_invalid_fhir_entry_fails_the_export_and_records_nothing(
    app: Flask, incident_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fhir_resources, "GENDER", {"M": "", "F": ""})
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        assert incident is not None
        with pytest.raises(FhirValidationError, match="the Patient is not valid FHIR R4B"):
            exporting.export_batch(
                incident=incident,
                config=site_config(incident.site),
                fmt="fhir",
                user=None,
                changed_only=False,
                system_base="http://localhost",
            )
        assert db.session.scalar(select(func.count(ExportBatch.id))) == 0


# --- the reconciliation checklist ----------------------------------------------------------


def test_checklist_row_heights_are_what_reportlab_would_measure() -> None:
    rnd = random.Random(7)
    words = ["Åsa", "Öberg-Ärlig", "DT thorax-buk med kontrast och angiografi", "x" * 70, ""]

    def text(most: int) -> str:
        return " ".join(rnd.choice(words) for _ in range(rnd.randint(0, most)))

    rows = tuple(
        IncidentCaseRow(
            case_code=f"AB{n:04d}",
            patient=text(4) + ", 19121212-1212",
            exam=text(5),
            priority=rnd.choice(["Akut", "Inom timmar", "Rutin"]),
            status=text(2),
            waiting_minutes=str(n),
        )
        for n in range(150)
    )
    data = IncidentListData(
        title="Totalstopp",
        incident_label="Driftstopp 1",
        qr_payload="RR1:I1:LST:1",
        scenario="total",
        started_at="2025-03-01 22:00",
        cases=rows,
    )
    # The checklist counts the rows that fit a page from these heights, so they must be what
    # reportlab measures when it is given none.
    paged = incident_list.build_incident_list_sheet(data).story[-1]
    measured = Table(paged.rows, colWidths=paged.col_widths, repeatRows=1)
    measured.setStyle(paged.table_style)
    measured.wrap(sum(paged.col_widths), 1e6)
    assert len(paged.row_heights) == len(rows) + 1
    assert measured._rowHeights == pytest.approx(paged.row_heights)
