"""The contrast's batch number and the patient's weight reach RIS in every export format; a
case without them keeps the digest it had before they were asked."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
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
    READ_ON_COLUMNS,
    RELEASE_COLUMNS,
)
from webapp.extensions import db
from webapp.models import CATCHUP_STEPS, Incident
from webapp.sites import site_config

from .export_support import export_now
from .factories import exam_data, referral_data

SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "batch-schema.json"
CONTRAST = {"contrast_agent": "Omnipaque 300", "contrast_volume_ml": "60", "contrast_route": "iv"}


@pytest.fixture
def incident_id(client: FlaskClient, auth) -> int:
    """Three exams: contrast with its batch and a weight, contrast whose batch is not known,
    and one with neither."""
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    exams = (
        exam_data(key_suffix="a", contrast_batch="AB1234", patient_weight_kg="72,5", **CONTRAST),
        exam_data(key_suffix="b", contrast_batch_unknown="y", **CONTRAST),
        exam_data(key_suffix="c"),
    )
    for n, exam in enumerate(exams):
        referral = referral_data(key_suffix=str(n), patient_name=f"Patient {'ABC'[n]}")
        case = client.post("/cases/new", data=referral).headers["Location"]
        assert client.post(case + "/exam", data=exam).status_code == 302
    return int(location.rsplit("/", 1)[-1])


def test_csv_carries_batch_and_weight_in_its_own_last_columns(app: Flask, incident_id: int) -> None:
    text = export_now(app, incident_id, "csv").content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    # After every earlier column: an importer reading by position finds those where they were.
    # Only where the report's images were read and their second look, added since, follow.
    at = header.index(CONTRAST_TRACE_COLUMNS[0])
    assert header[at:] == [
        *CONTRAST_TRACE_COLUMNS,
        *READ_ON_COLUMNS,
        *CASE_PAGE_COLUMNS,
        *RELEASE_COLUMNS,
    ]
    assert header[at - 1] == CARE_COLUMNS[-1]
    given, unknown, neither = ([r[c] for c in CONTRAST_TRACE_COLUMNS] for r in rows)
    assert given == ["AB1234", "72,5"]
    assert unknown == ["okänt", ""]
    assert neither == ["", ""]


def test_json_carries_batch_and_weight_and_keeps_to_the_schema(
    app: Flask, incident_id: int
) -> None:
    document = json.loads(export_now(app, incident_id, "json").content)
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    given, unknown, neither = (c["exam"] for c in document["cases"])
    keys = ("contrast_batch", "contrast_batch_unknown", "patient_weight_kg")
    assert [given[k] for k in keys] == ["AB1234", False, 72.5]
    assert [unknown[k] for k in keys] == ["", True, None]
    assert [neither[k] for k in keys] == ["", False, None]


def _studies(content: bytes) -> list[dict[str, Any]]:
    bundle = json.loads(content)
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ImagingStudy"
    ]


def test_fhir_study_notes_the_batch_with_the_contrast_and_the_weight(
    app: Flask, incident_id: int
) -> None:
    given, unknown, neither = (
        [n["text"] for n in s.get("note", [])]
        for s in _studies(export_now(app, incident_id, "fhir").content)
    )
    assert "Kontrast: Omnipaque 300 60 ml iv, batchnummer AB1234" in given
    assert "Patientens vikt: 72.5 kg" in given
    assert "Kontrast: Omnipaque 300 60 ml iv, batchnummer okänt" in unknown
    assert not any("atchnummer" in n or "vikt" in n for n in neither)


def test_a_case_without_batch_or_weight_keeps_the_digest_it_had_before_they_were_asked(
    app: Flask, incident_id: int
) -> None:
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        ids = batch_case_ids(incident_id)
        given, unknown, neither = iter_batch(
            incident, site_config(incident.site), case_ids=ids, steps=CATCHUP_STEPS
        )
        # An export from before the upgrade digested the exam without these fields.
        assert "contrast_batch" not in repr(neither) and "weight" not in repr(neither)
        for case in (given, unknown):
            blank = replace(
                case.exam, contrast_batch="", contrast_batch_unknown=False, patient_weight_kg=None
            )
            assert case_digest(case) != case_digest(replace(case, exam=blank))
