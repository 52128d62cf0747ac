"""The radiologist's instruction to the radiographer reaches RIS in every export format, with
who wrote it and when; writing one makes the case a change for the next 'changed only' export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.catchup.batch_reader import batch_case_ids, iter_batch
from webapp.catchup.digests import case_digest
from webapp.catchup.export_columns import (
    CARE_COLUMNS,
    CASE_PAGE_COLUMNS,
    CONTRAST_TRACE_COLUMNS,
    PROTOCOL_COLUMNS,
    READ_ON_COLUMNS,
    RELEASE_COLUMNS,
)
from webapp.catchup.exporting import NothingChanged
from webapp.extensions import db
from webapp.models import CATCHUP_STEPS, Incident
from webapp.sites import site_config

from .export_support import export_now
from .factories import referral_data

SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "batch-schema.json"
INSTRUCTION = "DT buk med portovenös fas i stället. Ring mig när patienten är på plats."


@pytest.fixture
def incident_id(client: FlaskClient, auth) -> int:
    """Two cases: the first with the radiologist's instruction, the second without."""
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    first = client.post("/cases/new", data=referral_data(key_suffix="a")).headers["Location"]
    other = referral_data(key_suffix="b", patient_name="Bertil Ödmark")
    assert client.post("/cases/new", data=other).status_code == 302
    auth.login("radiologist")
    written = client.post(
        first.replace("/cases/", "/reporting/") + "/protocol", data={"protocol": INSTRUCTION}
    )
    assert written.status_code == 302
    return int(location.rsplit("/", 1)[-1])


def _csv_rows(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    text = content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return header, list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_carries_the_instruction_in_its_own_last_columns(app: Flask, incident_id: int) -> None:
    header, (written, other) = _csv_rows(export_now(app, incident_id, "csv").content)
    # After every earlier column: an importer reading by position finds those where they were.
    # Only infection and mobility, and the contrast's batch and the weight, added since, come
    # after them.
    at = header.index(PROTOCOL_COLUMNS[0])
    assert header[at : at + len(PROTOCOL_COLUMNS)] == list(PROTOCOL_COLUMNS)
    assert header[at - 1] == "undantag bekräftat tid"
    assert header[at + len(PROTOCOL_COLUMNS) :] == [
        *CARE_COLUMNS,
        *CONTRAST_TRACE_COLUMNS,
        *READ_ON_COLUMNS,
        *CASE_PAGE_COLUMNS,
        *RELEASE_COLUMNS,
    ]
    assert written["radiologens instruktion"] == INSTRUCTION
    assert written["instruktion skriven av"] == "Testa Radiologist Åström"
    assert written["instruktion skriven"][:2] == "20"
    assert [other[c] for c in PROTOCOL_COLUMNS] == ["", "", ""]


def test_json_carries_the_instruction_with_its_author_and_time(
    app: Flask, incident_id: int
) -> None:
    document = json.loads(export_now(app, incident_id, "json").content)
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    written, other = document["cases"]
    assert written["referral"]["protocol"] == INSTRUCTION
    assert written["referral"]["protocol_by"] == "Testa Radiologist Åström"
    assert written["referral"]["protocol_at"].endswith("+00:00")
    assert other["referral"]["protocol"] == "" and other["referral"]["protocol_at"] is None


def _requests(content: bytes) -> list[dict[str, Any]]:
    bundle = json.loads(content)
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ServiceRequest"
    ]


def test_fhir_request_notes_the_instruction_with_its_author_and_time(
    app: Flask, incident_id: int
) -> None:
    written, other = _requests(export_now(app, incident_id, "fhir").content)
    note = written["note"][-1]
    assert note["text"] == f"Radiologens instruktion: {INSTRUCTION}"
    assert note["authorString"] == "Testa Radiologist Åström"
    assert note["time"].endswith("Z")
    assert not any("Radiologens instruktion" in n["text"] for n in other["note"])


@pytest.mark.parametrize("fmt", ["csv", "json", "fhir"])
def test_an_instruction_written_after_an_export_makes_the_case_a_change(
    app: Flask, client: FlaskClient, incident_id: int, fmt: str
) -> None:
    export_now(app, incident_id, fmt)
    with pytest.raises(NothingChanged):
        export_now(app, incident_id, fmt, changed_only=True)
    client.post("/reporting/2/protocol", data={"protocol": "Utan kontrast."})
    assert export_now(app, incident_id, fmt, changed_only=True).case_count == 1


def test_a_case_without_an_instruction_keeps_the_digest_it_had_before_there_were_any(
    app: Flask, incident_id: int
) -> None:
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        ids = batch_case_ids(incident_id)
        config = site_config(incident.site)
        written, other = iter_batch(incident, config, case_ids=ids, steps=CATCHUP_STEPS)
        # An export from before the upgrade digested the case without these fields: an
        # instruction-less case must read the same, or every case would count as changed.
        assert "protocol" not in repr(other)
        assert case_digest(written) != case_digest(
            type(written)(**{**written.__dict__, "referral": other.referral})
        )
