"""Where the images were read leaves as it was signed: a preliminary report saved again without
a signature with another answer keeps the fax's line it was signed with (or its absence) on the
faxed sheet, in every export and on the catch-up page, until the change is signed."""

from __future__ import annotations

import base64
import csv
import io
import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Case
from webapp.models.report import READ_ON_NOTE

from .catchup_world_support import _shown
from .export_support import export_now
from .factories import report_data
from .printforms.conftest import pdf_text

LINE = f"Granskning: {READ_ON_NOTE}"
EDIT = "Misstänkt subduralhematom."
# (signed with, saved since without a signature): the note removed after the signature, added.
DIRECTIONS = [("modality", "pacs"), ("pacs", "modality")]


def _signed_then_saved(
    app: Flask, client: FlaskClient, auth, case_id: int, signed: str, saved: str, edit: bool
) -> int:
    """The report signed preliminary read on `signed`, then saved unsigned read on `saved`
    (its text changed too when edit); the incident's id, logged in as secretary."""
    auth.login("radiologist")
    signing = report_data("preliminary", "p" * 20) | {"read_on": signed}
    assert client.post(f"/reporting/{case_id}", data=signing).status_code == 302
    saving = report_data("save", "s" * 20) | {"read_on": saved} | _shown(app, case_id, "report")
    if edit:
        saving["sections-1-text"] = EDIT
    assert client.post(f"/reporting/{case_id}", data=saving).status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.report.read_on == saved and case.report.state == "preliminary"
        incident_id = case.incident_id
    auth.logout()
    auth.login("secretary")
    return incident_id


def _sheet(client: FlaskClient, case_id: int) -> str:
    return " ".join(pdf_text(client.get(f"/print/cases/{case_id}/report.pdf").get_data()).split())


@pytest.mark.parametrize("edit", [False, True], ids=["same-text", "text-changed"])
@pytest.mark.parametrize(("signed", "saved"), DIRECTIONS)
def test_faxed_sheet_prints_where_read_as_signed(
    app: Flask, client: FlaskClient, auth, case_id: int, signed: str, saved: str, edit: bool
) -> None:
    _signed_then_saved(app, client, auth, case_id, signed, saved, edit)
    text = _sheet(client, case_id)
    assert ("Eftergranskas i PACS" in text) == (signed == "modality")
    assert "Normalt." in text and EDIT not in text


@pytest.mark.parametrize(("signed", "saved"), DIRECTIONS)
def test_csv_report_text_and_column_give_where_read_as_signed(
    app: Flask, client: FlaskClient, auth, case_id: int, signed: str, saved: str
) -> None:
    incident_id = _signed_then_saved(app, client, auth, case_id, signed, saved, edit=True)
    content = export_now(app, incident_id, "csv").content.decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(content, newline=""), delimiter=";")
    opens_with_line = row["utlåtande text"].splitlines()[0] == LINE
    assert opens_with_line == (signed == "modality")
    assert row["granskad på"] == ("Modalitetens skärm" if signed == "modality" else "PACS")


@pytest.mark.parametrize(("signed", "saved"), DIRECTIONS)
def test_json_gives_where_read_as_signed(
    app: Flask, client: FlaskClient, auth, case_id: int, signed: str, saved: str
) -> None:
    incident_id = _signed_then_saved(app, client, auth, case_id, signed, saved, edit=False)
    (case,) = json.loads(export_now(app, incident_id, "json").content)["cases"]
    assert case["report"]["read_on"] == signed
    assert case["report"]["read_on_note"] == (READ_ON_NOTE if signed == "modality" else "")


@pytest.mark.parametrize(("signed", "saved"), DIRECTIONS)
def test_fhir_report_text_gives_where_read_as_signed(
    app: Flask, client: FlaskClient, auth, case_id: int, signed: str, saved: str
) -> None:
    incident_id = _signed_then_saved(app, client, auth, case_id, signed, saved, edit=True)
    bundle = json.loads(export_now(app, incident_id, "fhir").content)
    (text,) = (
        base64.b64decode(e["resource"]["presentedForm"][0]["data"]).decode("utf-8")
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "DiagnosticReport"
    )
    assert text.startswith(f"Granskning:\n{READ_ON_NOTE}") == (signed == "modality")
    assert ("Eftergranskas i PACS" in text) == (signed == "modality")


@pytest.mark.parametrize(("signed", "saved"), DIRECTIONS)
def test_catchup_report_field_gives_where_read_as_signed(
    app: Flask, client: FlaskClient, auth, case_id: int, signed: str, saved: str
) -> None:
    _signed_then_saved(app, client, auth, case_id, signed, saved, edit=True)
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    copied = page.split('id="val-report">', 1)[1].split("</span>", 1)[0]
    assert copied.startswith("Granskning:") == (signed == "modality")
    assert "Normalt." in copied and EDIT not in copied


def test_the_change_signed_goes_out_with_its_own_answer(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _signed_then_saved(app, client, auth, case_id, "modality", "pacs", edit=False)
    auth.logout()
    auth.login("radiologist")
    signing = report_data("definitive", "d" * 20) | _shown(app, case_id, "report")
    assert client.post(f"/reporting/{case_id}", data=signing).status_code == 302
    assert "Eftergranskas i PACS" not in _sheet(client, case_id)


def test_the_editor_shows_the_answer_as_saved(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # The radiologist works on from what they saved: the screen is not the signed report.
    _signed_then_saved(app, client, auth, case_id, "pacs", "modality", edit=False)
    auth.logout()
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert 'checked id="read_on-1" name="read_on" type="radio" value="modality"' in page
