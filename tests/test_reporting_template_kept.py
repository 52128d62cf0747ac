"""The template a radiologist chose for a report is the one the screen opens with after a save,
not the exam's default again (which moved the text under other headings)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReportTemplate

from .factories import hidden_value


def _template_id(app: Flask, name: str) -> int:
    with app.app_context():
        return int(db.session.scalar(select(ReportTemplate.id).where(ReportTemplate.name == name)))


def _selected(page: str) -> str:
    picker = page.split('id="template-picker"', 1)[1].split("</form>", 1)[0]
    chosen = re.search(r'<option value="(\d*)" selected', picker)
    return chosen.group(1) if chosen else ""


def _headings(page: str) -> list[str]:
    editor = page.split('id="report-form"', 1)[1].split("</form>", 1)[0]
    return re.findall(r'name="sections-\d+-heading" type="hidden" value="([^"]*)"', editor)


def _save(client: FlaskClient, case_id: int, template: str) -> str:
    """Save the editor as the screen with ?template= drew it, text under its Fynd."""
    page = client.get(f"/reporting/{case_id}?template={template}").get_data(as_text=True)
    headings = _headings(page)
    data = {
        "form_key": hidden_value(page.split('id="report-form"', 1)[1], "form_key"),
        "template_id": template,
        "action": "save",
    }
    for n, heading in enumerate(headings):
        data[f"sections-{n}-heading"] = heading
        data[f"sections-{n}-text"] = "Ingen pneumothorax." if heading == "Fynd" else ""
    response = client.post(f"/reporting/{case_id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_template_chosen_stays_after_a_save(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    # A CT head case, reported on the chest X-ray template (its exam's default is "DT hjärna").
    chest = str(_template_id(app, "Lungröntgen"))
    page = _save(client, case_id, chest)
    assert _selected(page) == chest
    assert _headings(page) == ["Frågeställning", "Fynd", "Bedömning"]


def test_no_template_chosen_stays_after_a_save(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    page = _save(client, case_id, "")
    assert _selected(page) == ""
    assert _headings(page) == ["Fynd", "Bedömning"]


def test_a_refused_save_keeps_the_template_chosen_in_the_picker(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    chest = str(_template_id(app, "Lungröntgen"))
    page = client.get(f"/reporting/{case_id}?template={chest}").get_data(as_text=True)
    data = {
        "form_key": hidden_value(page.split('id="report-form"', 1)[1], "form_key"),
        "template_id": chest,
        # Definitive without where the images were read: refused beside the field.
        "action": "definitive",
    }
    for n, heading in enumerate(_headings(page)):
        data[f"sections-{n}-heading"] = heading
        data[f"sections-{n}-text"] = "Ingen pneumothorax." if heading == "Fynd" else ""
    response = client.post(f"/reporting/{case_id}", data=data)
    assert response.status_code == 400
    refused = response.get_data(as_text=True)
    assert _selected(refused) == chest
    assert _headings(refused) == ["Frågeställning", "Fynd", "Bedömning"]
