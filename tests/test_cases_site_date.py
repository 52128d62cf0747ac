"""Today is the site's date: a kidney sample taken and a child born after midnight at the site
are not in the future because the laptop's clock runs in another time zone (a server on UTC).

The site's zone is set to one whose date differs from the machine's right now, so a check
against the machine's date would refuse today's sample, or take tomorrow's.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.identity import luhn_check_digit
from webapp.models import Case

from .factories import identity_data, referral_data, unidentified_referral_data

FUTURE_SAMPLE = "Datumet kan inte ligga i framtiden."
FUTURE_BIRTH = "Födelsedatumet ligger i framtiden"


def _site_today(app: Flask) -> date:
    """Sets the site's zone to one on another day than the machine; that zone's date."""
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):  # UTC+14 and UTC-12
        today = datetime.now(ZoneInfo(zone)).date()
        if today != date.today():
            app.config["TIMEZONE"] = zone
            return today
    raise AssertionError("no zone on another day than the machine")


def _girl_born(day: date) -> str:
    """A girl's personnummer, in the 12-digit form, born on the day."""
    nine = day.strftime("%y%m%d") + "242"
    return f"{day:%Y%m%d}-242{luhn_check_digit(nine)}"


@pytest.fixture
def incident(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})


def test_a_kidney_sample_taken_today_at_the_site_is_taken_and_tomorrow_is_refused(
    app: Flask, client: FlaskClient, incident: None
) -> None:
    today = _site_today(app)
    contrast = {
        "exam_text": "DT thorax-buk med kontrast",
        "exam_code": "CT-TAB",
        "contrast_allergy": "no",
        "metformin": "no",
        "egfr": "55",
    }
    tomorrow = referral_data(
        key_suffix="t", kidney_measured_on=(today + timedelta(days=1)).isoformat(), **contrast
    )
    response = client.post("/cases/new", data=tomorrow)
    assert response.status_code == 400
    assert FUTURE_SAMPLE in response.get_data(as_text=True)

    response = client.post(
        "/cases/new", data=referral_data(kidney_measured_on=today.isoformat(), **contrast)
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_child_born_today_at_the_site_is_registered_and_tomorrow_is_refused(
    app: Flask, client: FlaskClient, incident: None
) -> None:
    today = _site_today(app)
    unborn = _girl_born(today + timedelta(days=1))
    response = client.post("/cases/new", data=referral_data(key_suffix="u", personal_number=unborn))
    assert response.status_code == 400
    assert FUTURE_BIRTH in response.get_data(as_text=True)

    born = _girl_born(today)
    response = client.post(
        "/cases/new", data=referral_data(personal_number=born, patient_name="Nyfödd Flicka")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert born in page.get_data(as_text=True)
    assert "Kvinna, 0 år" in page.get_data(as_text=True)


def test_an_identity_correction_takes_a_child_born_today_at_the_site_and_not_tomorrow(
    app: Flask, client: FlaskClient, incident: None
) -> None:
    today = _site_today(app)
    newborn = unidentified_referral_data(sex="F", approx_age="0")
    location = client.post("/cases/new", data=newborn).headers["Location"]
    unborn = _girl_born(today + timedelta(days=1))
    response = client.post(
        location + "/identity", data=identity_data(personal_number=unborn, case_version="1")
    )
    assert response.status_code == 400
    assert FUTURE_BIRTH in response.get_data(as_text=True)

    born = _girl_born(today)
    response = client.post(
        location + "/identity",
        data=identity_data(personal_number=born, patient_name="Nyfödd Flicka", case_version="1"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Case.patient_birth_date)) == today
