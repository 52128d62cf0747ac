"""An unidentified patient named by a personnummer of the other sex: the wrong patient may have
been named, so the correction asks to confirm before the case moves to that patient."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case

from .factories import audit_events, identity_data, unidentified_referral_data

WOMAN_OF_36 = "19900101-0009"
OTHER_SEX = "Könet i personnumret stämmer inte med det som angavs för den okända patienten"


@pytest.fixture
def unidentified_man(client: FlaskClient, auth) -> str:
    """The case of an unidentified man of about 70."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]


def _stored_id(app: Flask) -> str:
    with app.app_context():
        return str(db.session.scalar(select(Case.patient_id)))


def test_a_personnummer_of_the_other_sex_is_refused_until_confirmed(
    app: Flask, client: FlaskClient, unidentified_man: str
) -> None:
    data = identity_data(
        personal_number=WOMAN_OF_36, patient_name="Åsa Öberg", reason="Armband", case_version="1"
    )
    response = client.post(unidentified_man + "/identity", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert OTHER_SEX in page
    assert WOMAN_OF_36 in page and "Åsa Öberg" in page and "Armband" in page  # all kept
    assert _stored_id(app) == "RES-0007"

    data["confirm_patient"] = "y"
    data["confirm_patient_for"] = "199001010009"  # the number the box was shown for
    assert client.post(unidentified_man + "/identity", data=data).status_code == 302
    assert _stored_id(app) == "199001010009"
    (event,) = audit_events(app, "identity_correct")
    assert event.detail.endswith("; Armband; annat kön än det angivna, bekräftat som rätt patient")


def test_a_personnummer_of_the_same_sex_needs_no_confirmation(
    app: Flask, client: FlaskClient, unidentified_man: str
) -> None:
    response = client.post(unidentified_man + "/identity", data=identity_data(case_version="1"))
    assert response.status_code == 302
    assert _stored_id(app) == "191212121212"
    (event,) = audit_events(app, "identity_correct")
    assert "bekräftat" not in event.detail


def test_a_patient_of_unknown_sex_needs_no_confirmation(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    data = unidentified_referral_data(sex="U", approx_age="40", pregnancy="unknown")
    location = client.post("/cases/new", data=data).headers["Location"]
    corrected = identity_data(personal_number=WOMAN_OF_36, case_version="1")
    assert client.post(location + "/identity", data=corrected).status_code == 302
    assert _stored_id(app) == "199001010009"
