"""Laterality on the exam documentation: prefilled from the referral, a differing side confirmed."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from webapp.extensions import db
from webapp.models import ExamRecord, RecordVersion, Referral

from .factories import audit_events, exam_data, hidden_value, referral_data

HAND = {"exam_text": "Hand/handled", "exam_code": "CR-HAND", "modality": "CR"}
HAND_EXAM = {**HAND, "room": "Lab 1", "dlp_mgycm": "", "ctdivol_mgy": ""}
CONFIRM = "Sidan avviker från remissen – bekräftad"


@pytest.fixture
def hand_case_url(client: FlaskClient, auth) -> str:
    """A referral for the left hand."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data(side="left", **HAND)).headers["Location"]


def _exam(app: Flask) -> ExamRecord:
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        db.session.expunge(exam)
        return exam


def test_the_exam_form_is_prefilled_with_the_referral_s_side(
    client: FlaskClient, hand_case_url: str
) -> None:
    page = client.get(hand_case_url + "/exam").get_data(as_text=True)
    assert re.search(r'<input checked id="side-\d" name="side" type="radio" value="left">', page)
    assert hidden_value(page, "referral_side") == "left"
    assert "Enligt remissen: Vänster" in page


def test_a_sided_exam_is_not_documented_without_a_side(
    app: Flask, client: FlaskClient, hand_case_url: str
) -> None:
    data = exam_data(referral_side="left", side="", notes="Gips av", **HAND_EXAM)
    response = client.post(hand_case_url + "/exam", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="side-error"' in page and "Gips av" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 0


def test_the_referral_s_side_is_documented_without_a_question(
    app: Flask, client: FlaskClient, hand_case_url: str
) -> None:
    data = exam_data(referral_side="left", side="left", **HAND_EXAM)
    assert client.post(hand_case_url + "/exam", data=data).status_code == 302
    exam = _exam(app)
    assert (exam.side, exam.side_confirmed) == ("left", False)


def test_another_side_than_the_referral_s_is_asked_to_be_confirmed(
    app: Flask, client: FlaskClient, hand_case_url: str
) -> None:
    data = exam_data(referral_side="left", side="right", notes="Fel hand?", **HAND_EXAM)
    response = client.post(hand_case_url + "/exam", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="side_confirmed-error"' in page and CONFIRM in page
    assert "Remissen anger vänster." in page and "Fel hand?" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 0
    assert 'name="side_confirmed" type="checkbox" value="left:right"' in page
    data.update(side_confirmed="left:right")
    assert client.post(hand_case_url + "/exam", data=data).status_code == 302
    exam = _exam(app)
    assert (exam.side, exam.side_confirmed) == ("right", True)
    (event,) = audit_events(app, "exam_document")
    assert CONFIRM.lower() in event.detail


def test_a_confirmation_given_for_another_side_does_not_count(
    client: FlaskClient, hand_case_url: str
) -> None:
    data = exam_data(
        referral_side="left",
        side="both",
        side_confirmed="left:right",
        **HAND_EXAM,
    )
    response = client.post(hand_case_url + "/exam", data=data)
    assert response.status_code == 400
    assert "Sidan ändrades efter bekräftelsen" in response.get_data(as_text=True)


def test_a_referral_side_changed_under_the_form_is_compared_anew(
    app: Flask, client: FlaskClient, hand_case_url: str
) -> None:
    # The form showed "left" and the exam agreed; the referral says "right" by the save.
    with app.app_context():
        db.session.execute(update(Referral).values(side="right"))
        db.session.commit()
    data = exam_data(referral_side="left", side="left", **HAND_EXAM)
    response = client.post(hand_case_url + "/exam", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Remissens sida ändrades medan dokumentationen fylldes i" in page
    assert hidden_value(page, "referral_side") == "right"
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 0


def test_a_changed_side_is_in_the_exam_s_history(
    app: Flask, client: FlaskClient, hand_case_url: str
) -> None:
    data = exam_data(referral_side="left", side="left", **HAND_EXAM)
    client.post(hand_case_url + "/exam", data=data)
    page = client.get(hand_case_url + "/exam").get_data(as_text=True)
    data.update(
        side="right",
        side_confirmed="left:right",
        key_suffix="2",
        version=hidden_value(page, "version"),
    )
    data["form_key"] = "f" * 20
    assert client.post(hand_case_url + "/exam", data=data).status_code == 302
    with app.app_context():
        changed = db.session.scalar(
            select(RecordVersion.changes).where(RecordVersion.entity == "exam")
        )
    assert "side" in str(changed) and "side_confirmed" in str(changed)
    history = client.get(hand_case_url + "/history").get_data(as_text=True)
    assert CONFIRM in history and "Höger" in history
