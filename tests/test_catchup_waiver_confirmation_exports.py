"""A waiver's confirmation (four eyes) in what leaves the app, and where the case is listed.

The CSV's new columns come after every earlier one; JSON and FHIR say who confirmed it and when,
or that it waits; the PDF checklist too; a waiting waiver is marked on the radiologist's
worklist.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import update

from webapp.extensions import db
from webapp.models import Case, utcnow

from .catchup_support import new_case
from .catchup_world_support import _record
from .catchup_world_support import world as world  # the fixture
from .factories import hidden_value

REASON = "Registrerad direkt i RIS av röntgen"
SECOND = "Sixten Andersson"
SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "batch-schema.json"
WAIVER_COLUMNS = [
    "undantag väntar på bekräftelse",
    "undantag bekräftat av",
    "undantag bekräftat tid",
]


@pytest.fixture
def pending(client: FlaskClient, world) -> int:
    """The world's second case waived by the first secretary, not yet confirmed."""
    case_id = world["ids"][1]
    assert client.post(f"/catchup/cases/{case_id}/waive", data={"reason": REASON}).status_code
    return case_id


def _confirm(client: FlaskClient, auth, user_factory, case_id: int) -> None:
    user_factory(role="secretary", username="sek2", display_name=SECOND)
    auth.logout()
    auth.login("secretary", username="sek2")
    assert client.post(f"/catchup/cases/{case_id}/waive/confirm").status_code == 302


def _csv(client: FlaskClient, incident_id: int) -> tuple[list[str], dict[str, dict[str, str]]]:
    raw = client.get(f"/catchup/incidents/{incident_id}/export/csv").get_data()
    text = io.StringIO(raw.decode("utf-8-sig"), newline="")
    header, *rows = list(csv.reader(text, delimiter=";"))
    return header, {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_the_csv_gives_the_confirmation_after_every_earlier_column(
    client: FlaskClient, world, pending: int
) -> None:
    header, _ = _csv(client, world["incident_id"])
    # Only the radiologist's instruction, then infection and mobility, then the contrast's
    # batch and the weight, then where the report's images were read and their second look,
    # then an unidentified patient's approximate age and the exam's notes, then the releases'
    # notes, added since, come after.
    assert header[-18:-15] == WAIVER_COLUMNS
    at = header.index("undantagen")
    assert header[at : at + 5] == [
        "undantagen",
        "undantagen orsak",
        "undantagen av",
        "undantagen tid",
        "avstämd",
    ]
    assert header[-19] == "vilket implantat"


def test_the_csv_says_a_waiver_waits_for_its_confirmation(
    client: FlaskClient, world, pending: int
) -> None:
    _, rows = _csv(client, world["incident_id"])
    row = rows[world["codes"][1]]
    assert row["undantagen"] == "ja" and row["undantagen orsak"] == REASON
    assert row["avstämd"] == ""
    assert row["undantag väntar på bekräftelse"] == "ja"
    assert row["undantag bekräftat av"] == "" and row["undantag bekräftat tid"] == ""
    assert rows[world["codes"][0]]["undantag väntar på bekräftelse"] == ""


def test_the_csv_names_who_confirmed_the_waiver_and_when(
    client: FlaskClient, auth, user_factory, world, pending: int
) -> None:
    _confirm(client, auth, user_factory, pending)
    _, rows = _csv(client, world["incident_id"])
    row = rows[world["codes"][1]]
    assert row["undantag väntar på bekräftelse"] == ""
    assert row["undantag bekräftat av"] == SECOND
    assert row["undantag bekräftat tid"][:2] == "20" and row["avstämd"][:2] == "20"


def test_the_json_names_who_confirmed_the_waiver_and_matches_its_schema(
    client: FlaskClient, auth, user_factory, world, pending: int
) -> None:
    export = f"/catchup/incidents/{world['incident_id']}/export/json"
    waiting = client.get(export).get_json()["cases"][1]
    assert waiting["waived"] and waiting["reconciled_at"] is None
    assert (waiting["waiver_confirmed_by"], waiting["waiver_confirmed_at"]) == ("", None)
    _confirm(client, auth, user_factory, pending)
    document = client.get(export).get_json()
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    confirmed = document["cases"][1]
    assert confirmed["waiver_confirmed_by"] == SECOND and confirmed["waiver_confirmed_at"]
    assert confirmed["reconciled_at"] == confirmed["waiver_confirmed_at"]


def test_the_fhir_bundle_says_who_confirmed_the_waiver(
    client: FlaskClient, auth, user_factory, world, pending: int
) -> None:
    export = f"/catchup/incidents/{world['incident_id']}/export/fhir"
    waiting = client.get(export).get_json()
    provenances = [e["resource"] for e in waiting["entry"] if e["request"]["url"] == "Provenance"]
    assert "WAIVER AWAITING CONFIRMATION" in provenances[1]["activity"]["text"]
    _confirm(client, auth, user_factory, pending)
    bundle = client.get(export).get_json()
    provenances = [e["resource"] for e in bundle["entry"] if e["request"]["url"] == "Provenance"]
    assert f"waiver confirmed by {SECOND} at" in provenances[1]["activity"]["text"]


def test_a_confirmation_is_a_change_for_the_next_changed_only_export(
    app: Flask, client: FlaskClient, auth, user_factory, world, pending: int
) -> None:
    with app.app_context():
        # Well before the export and its commit margin: only the confirmation is new.
        db.session.execute(update(Case).values(updated_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    export = f"/catchup/incidents/{world['incident_id']}/export/json"
    client.get(export)
    _confirm(client, auth, user_factory, pending)
    changed = client.get(f"{export}?changed=1").get_json()
    assert [c["code"] for c in changed["cases"]] == [world["codes"][1]]


def test_the_checklist_says_the_waiver_waits_then_who_confirmed_it(
    client: FlaskClient, auth, user_factory, world, pending: int
) -> None:
    def checklist() -> str:
        pdf = client.get(f"/catchup/incidents/{world['incident_id']}/export/pdf").get_data()
        pages = PdfReader(io.BytesIO(pdf)).pages
        return " ".join(" ".join(p.extract_text() or "" for p in pages).split())

    assert "Undantag väntar på bekräftelse" in checklist()
    _confirm(client, auth, user_factory, pending)
    text = checklist()
    assert "Undantag väntar" not in text and f"bekräftat {SECOND}" in text


def test_the_worklist_marks_a_case_whose_waiver_waits(
    app: Flask, client: FlaskClient, auth
) -> None:
    """Not yet out of the catch-up, the unreported case stays on the worklist, marked."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    case_id = new_case(client, auth, key_suffix="w")
    auth.login("secretary")
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Patienten kom aldrig"})
    auth.logout()
    auth.login("radiologist")
    worklist = client.get("/reporting/").get_data(as_text=True)
    code = _code(app, case_id)
    assert code in worklist and "Undantag väntar på bekräftelse" in worklist


def test_a_confirmation_from_a_stale_page_is_refused_with_the_reason(
    app: Flask, client: FlaskClient, auth, user_factory, world, pending: int
) -> None:
    user_factory(role="secretary", username="sek2", display_name=SECOND)
    auth.logout()
    auth.login("secretary", username="sek2")
    page = client.get(f"/catchup/cases/{pending}").get_data(as_text=True)
    form = page[page.index("/waive/confirm") :]
    data = {"shown": "0.0.0.0.0", "waived_shown": hidden_value(form, "waived_shown")}
    response = client.post(f"/catchup/cases/{pending}/waive/confirm", data=data)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Undantaget är inte bekräftat" in page
    assert _record(app, pending).reconciled_at is None


def _code(app: Flask, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).code
