"""The exports mark an addendum's urgent finding, as the JSON marks the report's own."""

from __future__ import annotations

import base64
import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from .export_support import every_format
from .factories import incident_of
from .routines_support import make_case


def _exports(app: Flask, case_id: int) -> dict[str, str]:
    exports = every_format(app, incident_of(app, case_id))
    return {fmt: content.decode("utf-8-sig") for fmt, content in exports.items()}


def _with_addenda(client: FlaskClient, auth: Any) -> int:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    url = f"/reporting/{case_id}/addendum"
    assert client.post(url, data={"text": "Oförändrat."}).status_code == 302
    assert client.post(url, data={"text": "Pneumothorax.", "is_urgent": "y"}).status_code == 302
    return case_id


def test_the_exports_mark_the_urgent_addendum_only(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    exports = _exports(app, _with_addenda(client, auth))
    addenda = json.loads(exports["json"])["cases"][0]["report"]["addenda"]
    assert [(a["text"], a["is_urgent"]) for a in addenda] == [
        ("Oförändrat.", False),
        ("Pneumothorax.", True),
    ]
    assert "Tillägg – akut fynd (" in exports["csv"] and "Tillägg (" in exports["csv"]
    bundle = json.loads(exports["fhir"])
    (report,) = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "DiagnosticReport"
    ]
    presented = base64.b64decode(report["presentedForm"][0]["data"]).decode()
    assert "Tillägg – akut fynd " in presented and "\nTillägg " in presented
