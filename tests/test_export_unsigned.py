"""A report saved but never signed is no one's report: no export carries its text."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Case

from .export_support import downloaded

DRAFT_TEXT = "Misstänkt utbredd pneumoni, ej färdigbedömt"


@pytest.fixture
def drafted(app: Flask, client: FlaskClient, auth, case_id: int) -> dict[str, Any]:
    """The case's report saved as a draft by the radiologist; logged in as secretary."""
    auth.login("radiologist")
    form = {
        "sections-0-heading": "Bedömning",
        "sections-0-text": DRAFT_TEXT,
        "form_key": "d" * 20,
        "action": "save",
    }
    client.post(f"/reporting/{case_id}", data=form)
    auth.logout()
    auth.login("secretary")
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None and case.report is not None and case.report.state == "draft"
        return {"incident_id": case.incident_id, "code": case.code}


def test_csv_says_the_report_is_unsigned_without_its_text(
    client: FlaskClient, drafted: dict[str, Any]
) -> None:
    text = downloaded(client, drafted["incident_id"], "csv").decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text), delimiter=";")
    assert row["utlåtande status"] == "ej signerat"
    assert DRAFT_TEXT not in text


def test_json_says_the_report_is_a_draft_without_its_text(
    client: FlaskClient, drafted: dict[str, Any]
) -> None:
    data = downloaded(client, drafted["incident_id"], "json").decode("utf-8")
    (case,) = json.loads(data)["cases"]
    assert case["report"]["state"] == "draft"
    assert DRAFT_TEXT not in data


def test_fhir_has_no_diagnostic_report_for_an_unsigned_draft(
    client: FlaskClient, drafted: dict[str, Any]
) -> None:
    data = downloaded(client, drafted["incident_id"], "fhir").decode("utf-8")
    types = [e["resource"]["resourceType"] for e in json.loads(data)["entry"]]
    assert "DiagnosticReport" not in types and "Procedure" in types
    assert DRAFT_TEXT not in data
