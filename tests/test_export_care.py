"""Infection/isolation and how the patient moves reach RIS in every export format; answering
them makes the case a change for a 'changed only' export, and a case without them is not."""

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

from .catchup_world_support import _shown
from .export_support import export_now
from .factories import referral_data

SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "batch-schema.json"
MRSA = {"infection": "yes", "infection_note": "MRSA", "mobility": "wheelchair"}


@pytest.fixture
def incident_id(client: FlaskClient, auth) -> int:
    """Two cases: the first infected and in a wheelchair, the second without either answer."""
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    assert client.post("/cases/new", data=referral_data(key_suffix="a", **MRSA)).status_code == 302
    other = referral_data(key_suffix="b", patient_name="Bertil Ödmark")
    assert client.post("/cases/new", data=other).status_code == 302
    return int(location.rsplit("/", 1)[-1])


def _csv_rows(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    text = content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return header, list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_carries_infection_and_mobility_in_its_own_last_columns(
    app: Flask, incident_id: int
) -> None:
    header, (infected, other) = _csv_rows(export_now(app, incident_id, "csv").content)
    # After every earlier column: an importer reading by position finds those where they were.
    # Only the contrast's batch and the weight, then where the report's images were read and
    # their second look, added since, come after them.
    at = header.index(CARE_COLUMNS[0])
    assert header[at : at + len(CARE_COLUMNS)] == list(CARE_COLUMNS)
    assert header[at - 1] == PROTOCOL_COLUMNS[-1]
    assert header[at + len(CARE_COLUMNS) :] == [
        *CONTRAST_TRACE_COLUMNS,
        *READ_ON_COLUMNS,
        *CASE_PAGE_COLUMNS,
        *RELEASE_COLUMNS,
    ]
    assert [infected[c] for c in CARE_COLUMNS] == ["ja", "MRSA", "rullstol"]
    assert [other[c] for c in CARE_COLUMNS] == ["", "", ""]


def test_json_carries_infection_and_mobility_and_keeps_to_the_schema(
    app: Flask, incident_id: int
) -> None:
    document = json.loads(export_now(app, incident_id, "json").content)
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    infected, other = (c["referral"] for c in document["cases"])
    assert (infected["infection"], infected["infection_note"], infected["mobility"]) == (
        "yes",
        "MRSA",
        "wheelchair",
    )
    assert (other["infection"], other["infection_note"], other["mobility"]) == ("", "", "")


def _requests(content: bytes) -> list[dict[str, Any]]:
    bundle = json.loads(content)
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ServiceRequest"
    ]


def test_fhir_request_notes_infection_and_mobility(app: Flask, incident_id: int) -> None:
    infected, other = _requests(export_now(app, incident_id, "fhir").content)
    texts = [n["text"] for n in infected["note"]]
    assert "Smitta/isolering: Ja: MRSA" in texts and "Förflyttning: Rullstol" in texts
    assert not any(n["text"].startswith(("Smitta", "Förflyttning")) for n in other["note"])


@pytest.mark.parametrize("fmt", ["csv", "json", "fhir"])
def test_infection_answered_after_an_export_makes_the_case_a_change(
    app: Flask, client: FlaskClient, incident_id: int, fmt: str
) -> None:
    export_now(app, incident_id, fmt)
    with pytest.raises(NothingChanged):
        export_now(app, incident_id, fmt, changed_only=True)
    edit = referral_data(key_suffix="e", patient_name="Bertil Ödmark", infection="unknown")
    assert (
        client.post("/cases/2/referral", data=edit | _shown(app, 2, "referral")).status_code == 302
    )
    assert export_now(app, incident_id, fmt, changed_only=True).case_count == 1


def test_a_case_without_infection_or_mobility_keeps_the_digest_it_had_before_they_were_asked(
    app: Flask, incident_id: int
) -> None:
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        ids = batch_case_ids(incident_id)
        config = site_config(incident.site)
        infected, other = iter_batch(incident, config, case_ids=ids, steps=CATCHUP_STEPS)
        # An export from before the upgrade digested the case without these fields: a case
        # without them must read the same, or every case would count as changed.
        assert "infection" not in repr(other) and "mobility" not in repr(other)
        assert case_digest(infected) != case_digest(
            type(infected)(**{**infected.__dict__, "referral": other.referral})
        )
