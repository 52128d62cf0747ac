"""An exam documented from a form drawn before the patient's identity was corrected.

The radiographer booked the modality by hand and answered the safety questions beside the name
the form showed; saved after another tablet corrected the identity, the documentation would go
into the red tray under a patient they never saw named. Refused, as a referral edit is, with
everything typed kept, until the form shows the patient now.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ExamRecord

from .factories import exam_data, hidden_value, identity_data, referral_data

CORRECTED = "Patientens identitet har rättats sedan du öppnade sidan"


def _form(radiographer: FlaskClient, case_id: int) -> dict[str, str]:
    page = radiographer.get(f"/cases/{case_id}/exam").get_data(as_text=True)
    names = ("form_key", "referral_version", "identity_revision")
    return {name: hidden_value(page, name) for name in names}


def test_an_exam_from_a_form_drawn_before_an_identity_correction_is_refused_and_kept(
    app: Flask, tablet_factory: Callable[..., FlaskClient]
) -> None:
    radiographer = tablet_factory("rsk")
    other = tablet_factory("rsk2")
    radiographer.post("/incidents/new", data={"scenario": "integration"})
    location = radiographer.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    shown = _form(radiographer, case_id)
    corrected = identity_data(personal_number="19800101-0019", reason="Felskrivet personnummer")
    assert other.post(f"/cases/{case_id}/identity", data=corrected).status_code == 302
    sent = exam_data(form_key=shown["form_key"], modality_temp_id="TMP-KEPT-7") | shown
    response = radiographer.post(f"/cases/{case_id}/exam", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 409, page
    assert CORRECTED in page
    assert "TMP-KEPT-7" in page  # what was typed stays to save again
    with app.app_context():
        assert db.session.scalar(select(ExamRecord.id)) is None
    # Sent again from the page as drawn now (it names the patient now), it is saved.
    again = hidden_value(page, "identity_revision")
    assert again == "1"
    resent = sent | {"identity_revision": again, "form_key": hidden_value(page, "form_key")}
    assert radiographer.post(f"/cases/{case_id}/exam", data=resent).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ExamRecord.modality_temp_id)) == "TMP-KEPT-7"
