"""The PDF checklist names the exam performed, which is what the secretary keys into RIS, and
the one referred beside it, marked, when the radiographer did another."""

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

HAND = {"exam_text": "Hand/handled", "exam_code": "CR-HAND", "modality": "CR"}
HAND_EXAM = {**HAND, "room": "Lab 1", "dlp_mgycm": "", "ctdivol_mgy": ""}


@pytest.fixture
def incident(app: Flask, client: FlaskClient, auth) -> dict[str, object]:
    """A CT head done with contrast though referred without, one done as referred, one not yet
    examined, and a left hand done on the right; logged in as secretary."""
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    exams = (
        exam_data(key_suffix="other", exam_text="DT hjärna med kontrast"),
        exam_data(key_suffix="same"),
        None,
        exam_data(
            key_suffix="side",
            referral_side="left",
            side="right",
            side_confirmed="left:right",
            **HAND_EXAM,
        ),
    )
    for n, exam in enumerate(exams):
        extra = dict(side="left", **HAND) if n == 3 else {}
        case = client.post("/cases/new", data=referral_data(key_suffix=str(n), **extra))
        if exam is not None:
            assert client.post(case.headers["Location"] + "/exam", data=exam).status_code == 302
    auth.logout()
    auth.login("secretary")
    with app.app_context():
        codes = db.session.scalars(select(Case.code).order_by(Case.id)).all()
    return {"id": int(location.rsplit("/", 1)[-1]), "codes": codes}


def _rows(pdf: bytes, codes: list[str]) -> list[str]:
    """The checklist's text from each case's code to the next one's (cases in list order)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(page.extract_text() or "" for page in pages).split())
    starts = [text.index(code) for code in codes]
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def test_checklist_names_the_exam_performed_and_marks_the_one_referred(
    client: FlaskClient, incident
) -> None:
    other, *_ = _rows(downloaded(client, incident["id"], "pdf"), incident["codes"])
    assert "DT hjärna med kontrast (remitterad: DT hjärna utan kontrast)" in other


def test_checklist_names_an_exam_done_as_referred_once(client: FlaskClient, incident) -> None:
    _other, same, unexamined, _side = _rows(
        downloaded(client, incident["id"], "pdf"), incident["codes"]
    )
    for row in (same, unexamined):
        assert row.count("DT hjärna utan kontrast") == 1 and "remitterad" not in row


def test_checklist_marks_a_side_other_than_the_referrals(client: FlaskClient, incident) -> None:
    *_, side = _rows(downloaded(client, incident["id"], "pdf"), incident["codes"])
    assert "Hand/handled, höger (remitterad: Hand/handled, vänster)" in side


def _list_rows(client: FlaskClient, incident, *, masked: bool) -> list[str]:
    """The printed incident list's rows (as the checklist's)."""
    pdf = client.get(f"/print/incidents/{incident['id']}/list.pdf?masked={int(masked)}")
    assert pdf.status_code == 200
    return _rows(pdf.get_data(), incident["codes"])


def test_incident_list_names_the_exam_performed_as_the_checklist_does(
    client: FlaskClient, incident
) -> None:
    other, same, unexamined, side = _list_rows(client, incident, masked=False)
    assert "DT hjärna med kontrast (remitterad: DT hjärna utan kontrast)" in other
    assert "Hand/handled, höger (remitterad: Hand/handled, vänster)" in side
    for row in (same, unexamined):
        assert row.count("DT hjärna utan kontrast") == 1 and "remitterad" not in row


def test_masked_incident_list_still_names_the_exam_referred(client: FlaskClient, incident) -> None:
    other, *_, side = _list_rows(client, incident, masked=True)
    assert "DT hjärna utan kontrast" in other and "remitterad" not in other
    assert "Hand/handled, vänster" in side and "remitterad" not in side
