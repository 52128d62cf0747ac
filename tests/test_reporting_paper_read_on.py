"""Where the images were read, keyed from a radiologist's paper report: optional (the paper may
not say), and not said is never printed or exported as PACS. A report faxed in by an external
reviewer was read in the reviewer's own viewer: it says nothing of where."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Report
from webapp.models.report import READ_ON_NOTE

from .factories import faxed_report_data, paper_report_data


def _report(app: Flask) -> Report:
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report is not None
        # Loaded before it leaves the session: awaits_second_look reads them.
        assert report.signatures is not None
        db.session.expunge(report)
        return report


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_the_paper_form_offers_where_read_with_not_said_chosen(
    client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/paper").get_data(as_text=True)
    assert "Bilderna granskade på" in page and "Modalitetens skärm" in page
    assert "Framgår inte av papperet" in page
    assert '<input checked id="read_on-0" name="read_on" type="radio" value="">' in page


def test_a_paper_report_read_on_the_modality_is_faxed_saying_so_and_awaits_a_second_look(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    data = paper_report_data(radiologist_id, read_on="modality")
    assert client.post(f"/reporting/{case_id}/paper", data=data).status_code == 302
    report = _report(app)
    assert report.read_on == "modality" and report.awaits_second_look
    text = _pdf_text(client.get(f"/print/cases/{case_id}/report.pdf").data)
    assert " ".join(READ_ON_NOTE.split()) in text


def test_a_paper_report_that_does_not_say_is_not_known_and_not_printed_as_pacs(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    data = paper_report_data(radiologist_id)
    assert client.post(f"/reporting/{case_id}/paper", data=data).status_code == 302
    assert _report(app).read_on == ""
    text = _pdf_text(client.get(f"/print/cases/{case_id}/report.pdf").data)
    assert "Granskning" not in text and "Granskat" not in text


def test_an_unknown_place_is_refused_beside_the_field_with_the_text_kept(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    data = paper_report_data(radiologist_id, read_on="webbvisare")
    response = client.post(f"/reporting/{case_id}/paper", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Välj PACS eller modalitetens skärm." in page
    assert "Ingen blödning." in page
    with app.app_context():
        assert db.session.scalar(select(Report)) is None


def test_a_report_faxed_by_an_external_reviewer_says_nothing_of_where_it_was_read(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    assert 'name="read_on"' not in page
    data = faxed_report_data(read_on="modality")
    assert client.post(f"/reporting/{case_id}/fax", data=data).status_code == 302
    report = _report(app)
    assert report.read_on == "" and not report.awaits_second_look
