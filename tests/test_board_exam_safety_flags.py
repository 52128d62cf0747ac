"""The board's safety flags follow the case page's rule: a catalogue exam that asks the question
counts whether it is the referral's exam or the one documented for the case."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from webapp.extensions import db
from webapp.models import ExamRecord, Site
from webapp.sites import save_site_config

from .factories import exam_data, referral_data

WOMAN_OF_36 = "199001010009"
CR_ASKS = 'rooms = ["Lab 1", "Lab 2", "Akutlab"]\npregnancy = true\n'


def _exams_ask_pregnancy_not_the_modality(app: Flask) -> None:
    """A site whose plain X-ray asks about pregnancy per exam: the hip and pelvis does, the
    chest does not."""
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None and CR_ASKS in site.config_toml
        text = site.config_toml.replace(CR_ASKS, CR_ASKS.replace("pregnancy = true\n", ""), 1)
        config = save_site_config(site.id, text, None)
    assert not config.modality("CR").pregnancy
    assert config.exam("CR-HOFT").pregnancy and not config.exam("CR-THX").pregnancy


def test_an_exam_documented_as_one_that_asks_about_pregnancy_is_flagged_on_the_board(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    _exams_ask_pregnancy_not_the_modality(app)
    client.post("/incidents/new", data={"scenario": "integration"})
    # A chest X-ray for a woman of childbearing age: no pregnancy question on the referral.
    referral = referral_data(
        personal_number=WOMAN_OF_36,
        patient_name="Åsa Öberg",
        modality="CR",
        exam_text="Lungröntgen",
        exam_code="CR-THX",
    )
    url = client.post("/cases/new", data=referral).headers["Location"]
    assert "Graviditet ej besvarad" not in client.get("/board/").get_data(as_text=True)
    # Documented as the hip and pelvis, which asks.
    exam = exam_data(
        modality="CR", room="Lab 1", exam_text="Höft och bäcken", exam_code="CR-HOFT", side="right"
    )
    assert client.post(url + "/exam", data=exam).status_code == 302
    assert "Graviditet ej besvarad" in client.get(url).get_data(as_text=True)
    assert "Graviditet ej besvarad" in client.get("/board/").get_data(as_text=True)
    assert "Graviditet ej besvarad" in client.get("/board/rows").get_data(as_text=True)


def test_an_exam_documented_as_one_that_asks_about_mr_safety_is_flagged_on_the_board(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The example site asks MR safety of the MR modality and, on their own, of its MR exams.
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert client.post(url + "/exam", data=exam_data()).status_code == 302
    assert "MR-säkerhet ej besvarad" not in client.get("/board/").get_data(as_text=True)
    # As an exam documented as the MR head before the exam form asked, on a CT case.
    with app.app_context():
        db.session.execute(update(ExamRecord).values(exam_code="MR-HJ"))
        db.session.commit()
    assert "MR-säkerhet ej besvarad" in client.get(url).get_data(as_text=True)
    assert "MR-säkerhet ej besvarad" in client.get("/board/").get_data(as_text=True)
    assert "MR-säkerhet ej besvarad" in client.get("/board/rows").get_data(as_text=True)
