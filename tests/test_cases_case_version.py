"""Edits of what a case prints and exports move its version on: stale screens are refused."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, RecordVersion
from webapp.printing.versions import document_version

from .factories import exam_data, identity_data, referral_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture

MR_EXAM = {
    "modality": "MR",
    "room": "MR 1",
    "exam_text": "MR hjärna",
    "exam_code": "MR-HJ",
    "pacemaker": "no",
    "implants": "no",
}


def _case_with_exam_on(client: FlaskClient, modality: str) -> str:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    # An MR exam asks the MR safety facts the CT referral did not.
    data = exam_data(**(MR_EXAM if modality == "MR" else {"modality": modality}))
    assert client.post(location + "/exam", data=data).status_code == 302
    return location


def test_a_modality_changed_by_the_exam_is_a_new_version_of_the_case(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    _case_with_exam_on(client, "MR")
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (case.modality, case.version) == ("MR", 2)
        earlier = db.session.scalar(select(RecordVersion).where(RecordVersion.entity == "case"))
        assert earlier.changes == {"modality": ["CT", "MR"]}


def test_the_exam_on_the_referred_modality_leaves_the_case_version(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    _case_with_exam_on(client, "CT")
    with app.app_context():
        assert db.session.scalar(select(Case.version)) == 1


def test_a_referral_edit_opened_before_the_exam_changed_the_modality_is_refused(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = _case_with_exam_on(client, "MR")
    # A tablet opened the referral (case version 1, modality CT) before the exam was saved.
    stale = referral_data(key_suffix="edit", version="1", case_version="1", reply_fax="0999-555 55")
    response = client.post(location + "/referral", data=stale)
    assert response.status_code == 409
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.modality == "MR"
        assert case.referral.reply_fax == "0999-123 46"


def test_a_referral_sheet_printed_before_the_exam_changed_the_modality_is_out_of_date(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    with app.app_context():
        printed = document_version(db.session.scalar(select(Case)), "referral")
    client.post(location + "/exam", data=exam_data(**MR_EXAM))
    with app.app_context():
        assert document_version(db.session.scalar(select(Case)), "referral") > printed


IDENTITY_CORRECTED = "Patientens identitet har rättats sedan du öppnade sidan"


def test_a_referral_edit_opened_before_an_identity_correction_says_the_identity_changed(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    # Not "someone changed the referral", with nothing listed that differs: the referral is
    # unchanged, the patient it belongs to is not the one the form showed.
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    corrected = client.post(location + "/identity", data=identity_data(case_version="1"))
    assert corrected.status_code == 302
    stale = unidentified_referral_data(
        key_suffix="edit", version="1", case_version="1", reply_fax="0999-555 55"
    )
    response = client.post(location + "/referral", data=stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert IDENTITY_CORRECTED in page
    assert "Någon annan har ändrat remissen" not in page
    assert "0999-555 55" in page  # what was typed stays
    with app.app_context():
        assert db.session.scalar(select(Case)).referral.reply_fax == "0999-123 46"

    again = unidentified_referral_data(
        key_suffix="again", version="1", case_version="2", reply_fax="0999-555 55"
    )
    assert client.post(location + "/referral", data=again).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Case)).referral.reply_fax == "0999-555 55"


def test_a_referral_edit_opened_before_a_modality_change_still_says_the_referral_changed(
    client: FlaskClient, incident: int
) -> None:
    location = _case_with_exam_on(client, "MR")
    stale = referral_data(key_suffix="edit", version="1", case_version="1", reply_fax="0999-555 55")
    page = client.post(location + "/referral", data=stale).get_data(as_text=True)
    assert "Någon annan har ändrat remissen" in page and IDENTITY_CORRECTED not in page
