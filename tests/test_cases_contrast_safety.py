"""A contrast exam is never recorded without its referral's contrast questions saying so."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Referral

from .factories import exam_data, hidden_value, referral_data

UNANSWERED = "Kontrastfrågor ej besvarade"


@pytest.fixture
def plain_ct_url(client: FlaskClient, auth) -> str:
    """A CT head without contrast: no allergy, kidney or metformin question was asked."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def test_a_catalogue_exam_with_contrast_is_stored_as_planned_with_contrast(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The box left unticked (or untick after picking): the answers were asked for the exam's
    # contrast, so the referral, its sheet and the reviewer's copy say it is with contrast.
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(
        exam_text="DT lungartärer (lungemboli)",
        exam_code="CT-LE",
        contrast_allergy="no",
        metformin="no",
        kidney_unknown="y",
    )
    url = client.post("/cases/new", data=data).headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(Referral.contrast_planned)) is True
    assert "DT lungartärer (lungemboli) (med kontrast)" in client.get(url).get_data(as_text=True)


def test_a_contrast_agent_on_a_referral_without_contrast_is_flagged(
    client: FlaskClient, plain_ct_url: str
) -> None:
    assert UNANSWERED not in client.get(plain_ct_url).get_data(as_text=True)
    data = exam_data(
        contrast_agent="Omnipaque 350",
        contrast_volume_ml="80",
        contrast_route="iv",
        contrast_batch="AB1234",
    )
    assert client.post(plain_ct_url + "/exam", data=data).status_code == 302
    assert UNANSWERED in client.get(plain_ct_url).get_data(as_text=True)
    assert UNANSWERED in client.get("/board/").get_data(as_text=True)
    assert UNANSWERED in client.get("/board/rows").get_data(as_text=True)


def test_an_exam_documented_as_a_contrast_exam_is_flagged(
    client: FlaskClient, plain_ct_url: str
) -> None:
    data = exam_data(exam_text="DT hjärna med angiografi", exam_code="CT-HJA")
    assert client.post(plain_ct_url + "/exam", data=data).status_code == 302
    assert UNANSWERED in client.get(plain_ct_url).get_data(as_text=True)
    assert UNANSWERED in client.get("/board/").get_data(as_text=True)


def test_an_exam_without_contrast_is_not_flagged(client: FlaskClient, plain_ct_url: str) -> None:
    assert client.post(plain_ct_url + "/exam", data=exam_data()).status_code == 302
    assert UNANSWERED not in client.get(plain_ct_url).get_data(as_text=True)
    assert UNANSWERED not in client.get("/board/").get_data(as_text=True)


def test_the_warning_goes_once_the_referral_has_the_answers(
    client: FlaskClient, plain_ct_url: str
) -> None:
    data = exam_data(contrast_agent="Omnipaque 350", contrast_batch="AB1234")
    assert client.post(plain_ct_url + "/exam", data=data).status_code == 302
    form = client.get(plain_ct_url + "/referral").get_data(as_text=True)
    edit = referral_data(
        form_key="c" * 20,
        version=hidden_value(form, "version"),
        case_version=hidden_value(form, "case_version"),
        contrast_allergy="no",
        metformin="unknown",
        egfr="58",
        kidney_measured_on="2026-01-14",
    )
    assert client.post(plain_ct_url + "/referral", data=edit).status_code == 302
    assert UNANSWERED not in client.get(plain_ct_url).get_data(as_text=True)
    assert UNANSWERED not in client.get("/board/").get_data(as_text=True)
