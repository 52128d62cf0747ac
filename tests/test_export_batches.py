"""Exports read from the database a chunk at a time: the same file whatever the chunk size,
named by local time, FHIR priorities from the site's ranking, an invalid entry recording nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.catchup import batch_reader, exporting, fhir_resources
from webapp.catchup.export_fhir import FhirValidationError
from webapp.extensions import db
from webapp.models import ExportBatch, Incident
from webapp.siteconfig import Priority
from webapp.sites import site_config

from .catchup_support import book
from .export_support import every_format, export_now
from .factories import exam_data, referral_data


@pytest.fixture
def incident_id(app: Flask, client: FlaskClient, auth) -> int:
    """An incident with five cases of two patients: reported, examined, ticked, one unexamined."""
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    cases = []
    for n in range(5):
        # Every other case is the same woman, so her Patient entry is shared across chunks.
        woman = {"personal_number": "19800101-0027", "pregnancy": "no"} if n % 2 else {}
        # One number under two names is asked about once (test_cases_namesakes): confirmed.
        if n == 3:
            woman |= {
                "namesake_confirmed": "y",
                "namesake_confirmed_for": "personnummer:198001010027:3 patient",
            }
        data = referral_data(key_suffix=str(n), patient_name=f"Patient {n}", **woman)
        cases.append(client.post("/cases/new", data=data).headers["Location"])
    for n, url in enumerate(cases[:4]):
        client.post(url + "/exam", data=exam_data(key_suffix=str(n)))
    auth.logout()
    auth.login("radiologist")
    report_form = {
        "sections-0-heading": "Bedömning",
        "sections-0-text": "Normalt.",
        "read_on": "pacs",
    }
    for n, url in enumerate(cases[:2]):
        form = report_form | {"form_key": f"r{n}" * 10, "action": "definitive"}
        client.post(url.replace("/cases/", "/reporting/"), data=form)
    auth.logout()
    auth.login("secretary")
    case_id = cases[0].rsplit("/", 1)[-1]
    book(client, int(case_id))
    return int(location.rsplit("/", 1)[-1])


def test_export_file_is_named_by_the_local_time(
    app: Flask, incident_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 18:56 UTC on a winter day is 19:56 in Stockholm, the time the screen shows.
    monkeypatch.setattr(exporting, "utcnow", lambda: datetime(2026, 12, 1, 18, 56, tzinfo=UTC))
    made = export_now(app, incident_id, "csv")
    assert made.filename.endswith("-20261201-1956.csv"), made.filename


def test_export_is_the_same_whatever_the_chunk_size(
    app: Flask, incident_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exporting, "utcnow", lambda: datetime(2026, 1, 16, 8, 0, tzinfo=UTC))
    whole = every_format(app, incident_id)
    monkeypatch.setattr(batch_reader, "CHUNK_SIZE", 2)
    assert every_format(app, incident_id) == whole
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
    with pytest.raises(FhirValidationError, match="the Patient is not valid FHIR R4B"):
        export_now(app, incident_id, "fhir")
    with app.app_context():
        assert db.session.scalar(select(func.count(ExportBatch.id))) == 0


def _fhir_keys(bundle: dict[str, Any]) -> list[tuple[str, str, str]]:
    """What a receiving server matches an entry by: its fullUrl and its conditional URL."""
    return [
        (e["fullUrl"], e["request"]["url"], e["request"].get("ifNoneExist", ""))
        for e in bundle["entry"]
    ]


def test_fhir_identifiers_do_not_depend_on_the_address_the_export_was_made_from(
    app: Flask, client: FlaskClient, incident_id: int, runner: Any, tmp_path: Any
) -> None:
    url = f"/catchup/incidents/{incident_id}/export/fhir"
    # A tablet over Caddy's HTTPS, the laptop itself, and the export command: one receiver.
    response = client.get(url, base_url="https://localhost:8443/")
    assert response.status_code == 200, response.status_code
    tablet = json.loads(response.data)
    laptop = json.loads(client.get(url, base_url="http://localhost/").data)
    target = tmp_path / "batch.fhir.json"
    result = runner.invoke(args=["export-batch", "--format", "fhir", "-o", str(target)])
    assert result.exit_code == 0, result.output
    command = json.loads(target.read_text(encoding="utf-8"))
    assert _fhir_keys(tablet) == _fhir_keys(laptop) == _fhir_keys(command)
    # The port as part of an address: "8443" alone also turns up by chance in random ids.
    assert ":8443" not in json.dumps(tablet)


def test_json_kidney_values_are_given_as_typed(app: Flask, client: FlaskClient, auth) -> None:
    # Keyed into RIS from the file: ':g' gave 1234.57 for a creatinine of 1234.5678.
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    data = referral_data(
        exam_text="DT buk",
        exam_code="",
        contrast_planned="y",
        contrast_allergy="no",
        metformin="no",
        pregnancy="no",
        egfr="72.5",
        creatinine="1234.5678",
        kidney_measured_on="2026-01-14",
    )
    assert client.post("/cases/new", data=data).status_code == 302
    made = export_now(app, int(location.rsplit("/", 1)[-1]), "json")
    [exported] = json.loads(made.content)["cases"]
    safety = exported["referral"]["safety"]
    assert (safety["egfr"], safety["creatinine"]) == ("72.5", "1234.5678")
