"""A whole number of more digits than any count or age (a scanner's burst, a pasted UID) is
refused beside its field with the field's range and kept, never a server error."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.cases.exam_ranges import IMAGES_RANGE, SERIES_RANGE
from webapp.extensions import db
from webapp.models import Case, ExamRecord

from .factories import exam_data, referral_data, unidentified_referral_data

# Past what a float holds (WTForms' range check calls math.isnan on it), and past Python's
# 4300-digit limit on reading an int.
LONG_NUMBERS = ["9" * 400, "1" * 5000]


@pytest.fixture
def case_url(client: FlaskClient, auth) -> str:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def _error(page: str, name: str) -> list[str]:
    found = re.findall(rf'id="{name}-error"[^>]*>(.*?)</p>', page, re.S)
    return [text.split("</span>")[-1].strip() for text in found]


@pytest.mark.parametrize("typed", LONG_NUMBERS)
@pytest.mark.parametrize(
    ("name", "message"), [("series_count", SERIES_RANGE), ("image_count", IMAGES_RANGE)]
)
def test_an_exam_count_of_too_many_digits_is_refused_with_its_range_and_kept(
    app: Flask, client: FlaskClient, case_url: str, name: str, message: str, typed: str
) -> None:
    response = client.post(case_url + "/exam", data=exam_data(**{name: typed}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _error(page, name) == [message]
    assert f'value="{typed}"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 0


@pytest.mark.parametrize("typed", LONG_NUMBERS)
def test_an_approximate_age_of_too_many_digits_is_refused_with_its_range_and_kept(
    app: Flask, client: FlaskClient, auth, typed: str
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    response = client.post("/cases/new", data=unidentified_referral_data(approx_age=typed))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _error(page, "approx_age") == ["Ange ålder 0–125 år."]
    assert f'value="{typed}"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0
