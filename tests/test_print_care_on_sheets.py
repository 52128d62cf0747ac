"""The referral's infection/isolation and how the patient moves, printed on the exam sheet and
on the secretary's reconciliation checklist in the referral sheet's words."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case

from .export_support import downloaded
from .factories import exam_data, referral_data
from .printforms.conftest import pdf_text

MRSA = {"infection": "yes", "infection_note": "MRSA", "mobility": "wheelchair"}


@pytest.fixture
def cases(client: FlaskClient, auth) -> dict[str, str]:
    """A documented exam of an MRSA patient in a wheelchair, and one with neither answer."""
    auth.login("radiographer")
    incident = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    urls = {"incident": incident}
    for name, care in (("care", MRSA), ("plain", {})):
        data = referral_data(key_suffix=name, patient_name=f"Patient {name}", **care)
        url = client.post("/cases/new", data=data).headers["Location"]
        assert client.post(url + "/exam", data=exam_data(key_suffix=name)).status_code == 302
        urls[name] = url
    return urls


def _flat(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split())


def test_the_exam_sheet_prints_infection_and_mobility_as_the_referral_does(
    client: FlaskClient, cases: dict[str, str]
) -> None:
    exam = _flat(client.get("/print" + cases["care"] + "/exam.pdf").get_data())
    referral = pdf_text(client.get("/print" + cases["care"] + "/referral.pdf").get_data())
    for words in ("Smitta/isolering", "Ja: MRSA", "Förflyttning", "Rullstol"):
        assert words in exam and words in referral


def test_the_exam_sheet_of_a_referral_without_the_answers_says_so(
    client: FlaskClient, cases: dict[str, str]
) -> None:
    exam = _flat(client.get("/print" + cases["plain"] + "/exam.pdf").get_data())
    assert "Smitta/isolering" in exam and "MRSA" not in exam and "Rullstol" not in exam


def test_the_checklist_prints_infection_and_mobility_and_marks_an_infection(
    app: Flask, client: FlaskClient, auth, cases: dict[str, str]
) -> None:
    auth.logout()
    auth.login("secretary")
    incident_id = int(cases["incident"].rsplit("/", 1)[-1])
    with app.app_context():
        codes = db.session.scalars(select(Case.code).order_by(Case.id)).all()
    text = _flat(downloaded(client, incident_id, "pdf"))
    care, plain = text[text.index(codes[0]) : text.index(codes[1])], text[text.index(codes[1]) :]
    # Isolation is acted on when the patient is booked: marked as a warning, as a yes to an
    # allergy is; how the patient moves is an answer.
    assert "OBS! Smitta/isolering: Ja: MRSA" in care
    assert "Förflyttning: Rullstol" in care
    assert "Smitta" not in plain and "Förflyttning" not in plain
