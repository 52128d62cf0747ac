"""Laterality on the referral: the site marks its sided exams, and a sided exam needs a side."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Case, Referral
from webapp.siteconfig import SiteConfigError, parse_site_config

from .factories import hidden_value, referral_data

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
HAND = {"exam_text": "Hand/handled", "exam_code": "CR-HAND", "modality": "CR"}
SIDE_MISSING = "Ange sida – undersökningen gäller en sida."


@pytest.fixture
def in_incident(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})


def _referral(app: Flask) -> Referral:
    with app.app_context():
        ref = db.session.scalar(select(Referral))
        db.session.expunge(ref)
        return ref


def test_the_example_site_marks_its_sided_exams_and_no_others() -> None:
    config = parse_site_config(EXAMPLE)
    sided = {e.code for e in config.exams if e.sided}
    assert {"CR-HAND", "CR-HOFT", "CR-KNA", "CR-AXEL"} <= sided
    assert "CT-HJ" not in sided and "CR-THX" not in sided


def test_a_sided_flag_in_quotes_is_refused_naming_the_exam() -> None:
    hand = 'name = "Hand/handled"\nmodality = "CR"\nsided = '
    text = EXAMPLE.replace(hand + "true", hand + '"ja"', 1)
    with pytest.raises(
        SiteConfigError, match='undersökning "CR-HAND": sided ska vara true eller false'
    ):
        parse_site_config(text)


def test_a_sided_exam_without_a_side_is_refused_next_to_the_field_keeping_the_text(
    app: Flask, client: FlaskClient, in_incident: None
) -> None:
    response = client.post("/cases/new", data=referral_data(history="Föll på handen", **HAND))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="side-error"' in page and SIDE_MISSING in page
    assert "Föll på handen" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0


def test_a_sided_exam_keeps_the_side_given(
    app: Flask, client: FlaskClient, in_incident: None
) -> None:
    response = client.post("/cases/new", data=referral_data(side="left", **HAND))
    assert response.status_code == 302
    ref = _referral(app)
    assert (ref.exam_code, ref.side) == ("CR-HAND", "left")


def test_a_free_text_exam_may_give_a_side_or_none(
    app: Flask, client: FlaskClient, in_incident: None
) -> None:
    data = referral_data(exam_text="Fotled, slätröntgen", exam_code="", modality="CR", side="both")
    assert client.post("/cases/new", data=data).status_code == 302
    assert _referral(app).side == "both"
    data = referral_data(
        exam_text="Fotled",
        exam_code="",
        modality="CR",
        side="",
        key_suffix="2",
        patient_name="Berit Ek",
    )
    assert client.post("/cases/new", data=data).status_code == 302


def test_an_unsided_exam_asks_no_side_and_keeps_none(
    app: Flask, client: FlaskClient, in_incident: None
) -> None:
    # A side left from an exam picked before (the field hidden since) is not stored.
    assert client.post("/cases/new", data=referral_data(side="right")).status_code == 302
    assert _referral(app).side == ""


def test_a_side_that_is_no_choice_is_refused(client: FlaskClient, in_incident: None) -> None:
    response = client.post("/cases/new", data=referral_data(side="vänster", **HAND))
    assert response.status_code == 400
    assert 'id="side-error"' in response.get_data(as_text=True)


def test_the_form_shows_the_side_only_where_the_exam_needs_it(
    client: FlaskClient, in_incident: None
) -> None:
    page = client.get("/cases/new").get_data(as_text=True)
    assert 'data-need="side"' in page and "Höger" in page and "Båda sidor" in page
    assert '"sided": true' in page or '"sided":true' in page
    response = client.post("/cases/new", data=referral_data(**HAND))
    assert 'data-need="side" class="need needed"' in response.get_data(as_text=True)


def test_an_edit_changing_a_sided_exam_s_side_is_kept_in_the_history(
    app: Flask, client: FlaskClient, in_incident: None
) -> None:
    url = client.post("/cases/new", data=referral_data(side="left", **HAND)).headers["Location"]
    page = client.get(url + "/referral").get_data(as_text=True)
    data = referral_data(
        side="right",
        version=hidden_value(page, "version"),
        case_version=hidden_value(page, "case_version"),
        key_suffix="edit",
        **HAND,
    )
    assert client.post(url + "/referral", data=data).status_code == 302
    assert _referral(app).side == "right"
    history = client.get(url + "/history").get_data(as_text=True)
    assert "Sida" in history and "Vänster" in history and "Höger" in history
