"""A contrast amount of 0 ml is refused beside the amount with everything typed kept: with an
agent named it says contrast was given and none of it, without one a contrast of nothing; RIS
would be given either as typed. Left empty, the amount is simply not known."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ExamRecord

from .conftest import AuthActions
from .factories import exam_data, referral_data

KEPT = "Patienten orolig – lugnad"
ZERO = "Mängden kan inte vara 0 ml: ange hur mycket som gavs, eller lämna fältet tomt."


@pytest.fixture
def case_url(client: FlaskClient, auth: AuthActions) -> str:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


@pytest.mark.parametrize(
    "contrast",
    [
        {"contrast_agent": "Omnipaque 350", "contrast_batch": "L123", "contrast_volume_ml": "0"},
        {"contrast_agent": "Omnipaque 350", "contrast_batch": "L123", "contrast_volume_ml": "0,0"},
        {"contrast_volume_ml": "0"},
    ],
)
def test_a_contrast_amount_of_nothing_is_refused_beside_the_amount(
    app: Flask, client: FlaskClient, case_url: str, contrast: dict[str, str]
) -> None:
    response = client.post(case_url + "/exam", data=exam_data(notes=KEPT, **contrast))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    beside = page.split('id="contrast_volume_ml-error"', 1)[1].split("</p>", 1)[0]
    assert ZERO in beside
    assert f'value="{contrast["contrast_volume_ml"]}"' in page and KEPT in page
    with app.app_context():
        assert db.session.scalar(select(ExamRecord)) is None


def test_a_contrast_amount_given_is_saved(app: Flask, client: FlaskClient, case_url: str) -> None:
    data = exam_data(
        contrast_agent="Omnipaque 350", contrast_batch="L123", contrast_volume_ml="0,5"
    )
    assert client.post(case_url + "/exam", data=data).status_code == 302
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        assert exam is not None and exam.contrast_volume_ml == pytest.approx(0.5)
