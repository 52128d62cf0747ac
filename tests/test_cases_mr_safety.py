"""An MR exam is never documented without the MR safety facts (pacemaker, implants)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from webapp.extensions import db
from webapp.models import Case, ExamRecord, RecordVersion, Referral

from .factories import exam_data, hidden_value, referral_data

MR_EXAM = {"modality": "MR", "room": "MR 1", "exam_text": "MR hjärna", "exam_code": "MR-HJ"}


@pytest.fixture
def ct_case_url(client: FlaskClient, auth) -> str:
    """A CT referral, so no MR safety question was asked when it arrived."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def _referral(app: Flask) -> Referral:
    with app.app_context():
        ref = db.session.scalar(select(Referral))
        db.session.expunge(ref)
        return ref


def test_an_mr_exam_on_a_ct_referral_is_refused_without_the_mr_safety_answers(
    app: Flask, client: FlaskClient, ct_case_url: str
) -> None:
    data = exam_data(notes="Patienten lugn, ingen sedering", **MR_EXAM)
    response = client.post(ct_case_url + "/exam", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Svara Ja, Nej eller Vet ej – MR kräver uppgiften." in page
    assert 'id="pacemaker-error"' in page and 'id="implants-error"' in page  # by each field
    assert "Patienten lugn, ingen sedering" in page  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 0
        assert db.session.scalar(select(Case.modality)) == "CT"


def test_an_exam_picked_from_the_catalogue_as_mr_asks_too(
    client: FlaskClient, ct_case_url: str
) -> None:
    # The exam's own flag counts, whatever modality was picked beside it.
    data = exam_data(exam_text="MR hjärna", exam_code="MR-HJ")
    response = client.post(ct_case_url + "/exam", data=data)
    assert response.status_code == 400
    assert 'id="pacemaker-error"' in response.get_data(as_text=True)


def test_a_described_implant_is_required_on_the_exam_form_too(
    client: FlaskClient, ct_case_url: str
) -> None:
    data = exam_data(pacemaker="no", implants="yes", **MR_EXAM)
    response = client.post(ct_case_url + "/exam", data=data)
    assert response.status_code == 400
    assert "Beskriv implantatet." in response.get_data(as_text=True)


def test_mr_safety_answered_on_the_exam_form_goes_into_the_referral_with_who_and_when(
    app: Flask, client: FlaskClient, ct_case_url: str
) -> None:
    data = exam_data(pacemaker="no", implants="yes", implants_note="Höftprotes vä", **MR_EXAM)
    assert client.post(ct_case_url + "/exam", data=data).status_code == 302
    ref = _referral(app)
    assert (ref.pacemaker, ref.implants, ref.implants_note) == ("no", "yes", "Höftprotes vä")
    with app.app_context():
        version = db.session.scalar(select(RecordVersion).where(RecordVersion.entity == "referral"))
        assert version is not None and version.changed_by_id is not None
        assert set(version.changes) == {"pacemaker", "implants", "implants_note"}
    history = client.get(ct_case_url + "/history").get_data(as_text=True)
    assert "Pacemaker/ICD" in history and "Höftprotes vä" in history


def test_a_ct_exam_does_not_ask_about_mr_safety(
    app: Flask, client: FlaskClient, ct_case_url: str
) -> None:
    assert client.post(ct_case_url + "/exam", data=exam_data()).status_code == 302
    assert _referral(app).pacemaker == ""


def test_the_exam_form_shows_the_referrals_mr_answers(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post(
        "/cases/new",
        data=referral_data(
            exam_text="MR hjärna", exam_code="MR-HJ", modality="MR", pacemaker="no", implants="no"
        ),
    ).headers["Location"]
    page = client.get(url + "/exam").get_data(as_text=True)
    assert _is_checked(page, "pacemaker", "no") and _is_checked(page, "implants", "no")


def _is_checked(page: str, name: str, value: str) -> bool:
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return any(f'value="{value}"' in i and "checked" in i for i in inputs)


def test_an_exam_form_opened_before_a_referral_change_does_not_overwrite_its_mr_answers(
    app: Flask, client: FlaskClient, ct_case_url: str
) -> None:
    form = client.get(ct_case_url + "/exam").get_data(as_text=True)
    shown = hidden_value(form, "referral_version")
    # Meanwhile another tablet learns that the patient has a pacemaker.
    with app.app_context():
        ref_version = db.session.scalar(select(Referral.version))
        edit = referral_data(form_key="r" * 20, pacemaker="yes", implants="no")
        edit.update(version=ref_version, case_version=db.session.scalar(select(Case.version)))
    assert client.post(ct_case_url + "/referral", data=edit).status_code == 302
    data = exam_data(pacemaker="no", implants="no", referral_version=shown, **MR_EXAM)
    response = client.post(ct_case_url + "/exam", data=data)
    assert response.status_code == 409
    assert "Pacemaker/ICD" in response.get_data(as_text=True)
    assert _referral(app).pacemaker == "yes"
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 0


def test_an_exam_form_agreeing_with_a_newer_referral_is_saved(
    app: Flask, client: FlaskClient, ct_case_url: str
) -> None:
    form = client.get(ct_case_url + "/exam").get_data(as_text=True)
    shown = hidden_value(form, "referral_version")
    with app.app_context():
        db.session.execute(update(Referral).values(history="Nytt i anamnesen", version=2))
        db.session.commit()
    data = exam_data(pacemaker="no", implants="no", referral_version=shown, **MR_EXAM)
    assert client.post(ct_case_url + "/exam", data=data).status_code == 302


def test_a_referral_edited_from_ct_to_mr_asks_the_mr_safety_questions(
    app: Flask, client: FlaskClient, ct_case_url: str
) -> None:
    with app.app_context():
        versions = {"version": 1, "case_version": db.session.scalar(select(Case.version))}
    edit = referral_data(
        form_key="r" * 20, exam_text="MR hjärna", exam_code="MR-HJ", modality="MR", **versions
    )
    response = client.post(ct_case_url + "/referral", data=edit)
    assert response.status_code == 400
    assert "Svara Ja, Nej eller Vet ej" in response.get_data(as_text=True)


def _unanswered_mr_case(app: Flask) -> None:
    # As a case whose MR exam was documented before the exam form asked (or whose modality the
    # site marked as MR afterwards).
    with app.app_context():
        db.session.execute(update(Case).values(modality="MR"))
        db.session.commit()


def test_the_case_page_warns_of_unanswered_mr_safety(
    app: Flask, client: FlaskClient, ct_case_url: str
) -> None:
    assert "MR-säkerhet ej besvarad" not in client.get(ct_case_url).get_data(as_text=True)
    _unanswered_mr_case(app)
    page = client.get(ct_case_url).get_data(as_text=True)
    assert "MR-säkerhet ej besvarad" in page


def test_the_board_marks_unanswered_mr_safety(
    app: Flask, client: FlaskClient, ct_case_url: str
) -> None:
    assert "MR-säkerhet ej besvarad" not in client.get("/board/").get_data(as_text=True)
    _unanswered_mr_case(app)
    assert "MR-säkerhet ej besvarad" in client.get("/board/").get_data(as_text=True)
    assert "MR-säkerhet ej besvarad" in client.get("/board/rows").get_data(as_text=True)


def test_answering_on_the_exam_form_takes_the_warning_away(
    app: Flask, client: FlaskClient, ct_case_url: str
) -> None:
    _unanswered_mr_case(app)
    data = exam_data(pacemaker="unknown", implants="no", **MR_EXAM)
    assert client.post(ct_case_url + "/exam", data=data).status_code == 302
    assert "MR-säkerhet ej besvarad" not in client.get(ct_case_url).get_data(as_text=True)
    assert "MR-säkerhet ej besvarad" not in client.get("/board/").get_data(as_text=True)
