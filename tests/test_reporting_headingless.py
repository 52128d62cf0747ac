"""A crafted post to the report editor with a section whose heading is empty or missing: its
text is kept under "Utlåtande", never dropped, and no heading "None" is stored."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Report

from .factories import report_data


def _stored_sections(app: Flask) -> list[dict[str, str]]:
    with app.app_context():
        return list(db.session.scalar(select(Report.sections)) or [])


@pytest.mark.parametrize("heading", ["", "   ", None], ids=["empty", "blank", "missing"])
def test_a_section_without_a_heading_keeps_its_text_under_utlatande(
    app: Flask, client: FlaskClient, auth, case_id: int, heading: str | None
) -> None:
    auth.login("radiologist")
    data = report_data("save", findings="Ingen blödning.")
    if heading is None:
        del data["sections-1-heading"]
    else:
        data["sections-1-heading"] = heading
    data["sections-1-text"] = "Text utan rubrik."
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    stored = _stored_sections(app)
    assert stored == [
        {"heading": "Fynd", "text": "Ingen blödning."},
        {"heading": "Utlåtande", "text": "Text utan rubrik."},
    ]


def test_sections_without_headings_join_under_one_utlatande(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    data = {
        "form_key": "r" * 20,
        "action": "save",
        "sections-0-text": "Första stycket.",
        "sections-1-heading": "",
        "sections-1-text": "Andra stycket.",
        "sections-2-heading": "",
        "sections-2-text": "",
    }
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    assert _stored_sections(app) == [
        {"heading": "Utlåtande", "text": "Första stycket.\n\nAndra stycket."}
    ]


def test_a_headingless_section_refused_at_signing_shows_no_none_heading(
    client: FlaskClient, auth, case_id: int
) -> None:
    """Refused (no "granskade på" at a definitive signature): the text is on the page again,
    under no heading called "None"."""
    auth.login("radiologist")
    data = report_data("definitive", read_on="")
    del data["sections-1-heading"]
    data["sections-1-text"] = "Text utan rubrik."
    response = client.post(f"/reporting/{case_id}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Text utan rubrik." in page and ">None<" not in page
