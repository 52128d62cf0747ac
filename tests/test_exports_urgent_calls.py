"""A call to the referrer about an urgent finding reaches RIS with the batch: every format
carries it, and a call logged after an export is a change for the next 'changed only' one."""

from __future__ import annotations

import base64
import csv
import io
import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from .export_support import every_format, export_now
from .factories import incident_of
from .routines_support import make_case


def _call(client: FlaskClient, auth: Any, case_id: int) -> None:
    auth.login("radiologist")
    response = client.post(
        f"/reporting/{case_id}/call",
        data={
            "called_person": "Dr Åberg",
            "phone_number": "035-123 45 67",
            "called_at": "2026-01-15T11:20",
            "note": "Pneumothorax höger",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_every_format_carries_the_urgent_call(app: Flask, client: FlaskClient, auth: Any) -> None:
    case_id = make_case(client, auth, report="definitive")
    _call(client, auth, case_id)
    exports = {
        fmt: content.decode("utf-8-sig")
        for fmt, content in every_format(app, incident_of(app, case_id)).items()
    }
    [call] = json.loads(exports["json"])["cases"][0]["urgent_calls"]
    assert call["called_person"] == "Dr Åberg" and call["phone_number"] == "035-123 45 67"
    # Typed as the Stockholm wall clock (winter: UTC+1), exported in UTC and said so.
    assert call["called_at"] == "2026-01-15T10:20:00+00:00"
    assert call["note"] == "Pneumothorax höger" and call["by"]
    [row] = csv.DictReader(io.StringIO(exports["csv"]), delimiter=";")
    # With the report text, which is keyed into RIS: no column moves for an importer.
    assert row["utlåtande text"].endswith(
        "\nRingt om akut fynd 2026-01-15 11:20: Dr Åberg (035-123 45 67) av "
        f"{call['by']}: Pneumothorax höger"
    )
    bundle = json.loads(exports["fhir"])
    [report] = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "DiagnosticReport"
    ]
    text = base64.b64decode(report["presentedForm"][0]["data"]).decode()
    assert "Ringt om akut fynd 2026-01-15T10:20:00+00:00: Dr Åberg" in text


def test_a_call_logged_after_an_export_is_in_the_next_changes(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = make_case(client, auth, report="definitive")
    incident_id = incident_of(app, case_id)
    export_now(app, incident_id, "csv")
    _call(client, auth, case_id)
    changes = export_now(app, incident_id, "csv", changed_only=True)
    assert changes.case_count == 1
    assert "Dr Åberg" in changes.content.decode("utf-8-sig")
