"""A personnummer typed with a space (as it is often written) is read as the same number."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case

from .catchup_support import reserve_blank
from .factories import identity_data, referral_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture

SPACED = [
    ("19121212 1212", "191212121212"),
    ("1912 1212 1212", "191212121212"),
    ("121212 +1212", "191212121212"),
    ("121212 1212", "201212121212"),  # the ten-digit form without "+": born within 100 years
]


@pytest.mark.parametrize(("typed", "stored"), SPACED)
def test_a_referral_accepts_a_personnummer_typed_with_a_space(
    app: Flask, client: FlaskClient, incident: int, typed: str, stored: str
) -> None:
    response = client.post("/cases/new", data=referral_data(personal_number=typed, pregnancy="no"))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Case.patient_id)) == stored


def test_a_spaced_number_with_a_wrong_check_digit_is_still_refused(
    client: FlaskClient, incident: int
) -> None:
    response = client.post("/cases/new", data=referral_data(personal_number="19121212 1213"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kontrollsiffran stämmer inte – kontrollera numret." in page
    assert 'value="19121212 1213"' in page


def test_an_identity_correction_accepts_a_personnummer_typed_with_a_space(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    response = client.post(
        location + "/identity",
        data=identity_data(personal_number="19121212 1212"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Case.patient_id)) == "191212121212"


def test_the_identity_form_allows_the_same_characters_as_the_referral_form(
    client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    referral = client.get("/cases/new").get_data(as_text=True)
    identity = client.get(location + "/identity").get_data(as_text=True)
    pattern = re.compile(r'<input[^>]*name="personal_number"[^>]*pattern="([^"]*)"')
    found = pattern.search(referral)
    assert found is not None
    assert re.fullmatch(found.group(1), "19121212 1212")
    same = pattern.search(identity)
    assert same is not None and same.group(1) == found.group(1)


def test_a_blank_finds_its_case_by_a_personnummer_written_with_a_space(
    app: Flask, client: FlaskClient, auth, incident: int
) -> None:
    client.post("/cases/new", data=referral_data(personal_number="20121212-1212", pregnancy="no"))
    code = reserve_blank(app, client, auth, "BLD")
    auth.login("radiographer")
    page = client.post(f"/blanks/{code}/attach", data={"typed": "121212 1212"}).get_data(
        as_text=True
    )
    assert "Örjan Älvström" in page and "20121212-1212" in page


def test_a_blank_searched_by_a_personnummer_with_a_wrong_check_digit_says_so(
    app: Flask, client: FlaskClient, auth, incident: int
) -> None:
    code = reserve_blank(app, client, auth, "BLD")
    auth.login("radiographer")
    response = client.post(f"/blanks/{code}/attach", data={"typed": "19121212 1213"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kontrollsiffran stämmer inte – kontrollera numret." in page
    assert 'value="19121212 1213"' in page


def test_the_access_log_says_so_next_to_a_personnummer_with_a_wrong_check_digit(
    client: FlaskClient, auth, incident: int
) -> None:
    auth.logout()
    auth.login("admin")
    page = client.get("/admin/audit", query_string={"patient": "121212 1213"}).get_data(
        as_text=True
    )
    assert 'id="patient-error"' in page
    assert "Kontrollsiffran stämmer inte – kontrollera numret." in page
    assert 'value="121212 1213"' in page
    # A reserve number or part of a number is no personnummer: searched without a word.
    page = client.get("/admin/audit", query_string={"patient": "RES-0007"}).get_data(as_text=True)
    assert 'id="patient-error"' not in page
