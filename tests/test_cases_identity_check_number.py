"""The box confirming a personnummer of the other sex than the unidentified patient's holds for
the number it was ticked for: edited into another patient's number, the new one is asked about
again before the case moves to that patient."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case

from .factories import identity_data, unidentified_referral_data

WOMAN_OF_36 = "19900101-0009"
ANOTHER_WOMAN = "19850505-0024"
ASKED_AGAIN = "Numret har ändrats sedan rutan kryssades"


@pytest.fixture
def unidentified_man(client: FlaskClient, auth) -> str:
    """The case of an unidentified man of about 70."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]


def _stored_id(app: Flask) -> str:
    with app.app_context():
        return str(db.session.scalar(select(Case.patient_id)))


def _asked_for(page: str) -> str:
    """The number the page's confirmation box was shown for (its hidden field)."""
    match = re.search(r'name="confirm_patient_for" type="hidden" value="([^"]*)"', page)
    assert match, "no confirmation tied to a number on the page"
    return html.unescape(match.group(1))


def _ticked_after_refusal(client: FlaskClient, url: str, number: str) -> dict[str, object]:
    """The form as the tablet sends it once the refusal's box is ticked for this number."""
    data = identity_data(personal_number=number, patient_name="Åsa Öberg", case_version="1")
    refused = client.post(url, data=data)
    assert refused.status_code == 400
    return {**data, "confirm_patient": "y", "confirm_patient_for": _asked_for(refused.text)}


def test_the_confirmed_number_is_saved(
    app: Flask, client: FlaskClient, unidentified_man: str
) -> None:
    confirmed = _ticked_after_refusal(client, unidentified_man + "/identity", WOMAN_OF_36)
    assert client.post(unidentified_man + "/identity", data=confirmed).status_code == 302
    assert _stored_id(app) == "199001010009"


def test_a_tick_given_for_another_number_is_asked_again(
    app: Flask, client: FlaskClient, unidentified_man: str
) -> None:
    confirmed = _ticked_after_refusal(client, unidentified_man + "/identity", WOMAN_OF_36)
    edited = {**confirmed, "personal_number": ANOTHER_WOMAN}
    response = client.post(unidentified_man + "/identity", data=edited)
    page = response.text
    assert response.status_code == 400
    assert ASKED_AGAIN in page
    assert ANOTHER_WOMAN in page and "Åsa Öberg" in page  # what was typed, kept
    assert _asked_for(page) == "198505050024"
    assert _stored_id(app) == "RES-0007"

    again = {**edited, "confirm_patient": "y", "confirm_patient_for": _asked_for(page)}
    assert client.post(unidentified_man + "/identity", data=again).status_code == 302
    assert _stored_id(app) == "198505050024"


def test_the_same_number_written_another_way_keeps_its_tick(
    app: Flask, client: FlaskClient, unidentified_man: str
) -> None:
    confirmed = _ticked_after_refusal(client, unidentified_man + "/identity", WOMAN_OF_36)
    rewritten = {**confirmed, "personal_number": "900101-0009"}
    assert client.post(unidentified_man + "/identity", data=rewritten).status_code == 302
    assert _stored_id(app) == "199001010009"
