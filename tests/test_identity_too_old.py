"""A personnummer whose birth lies further back than anyone lives is a mistyped century or plus
sign: a ten-digit number with "+" for someone born in 1930 reads as born in 1830. Refused
beside the field where a patient's identity is stored; still found in free text to anonymise."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.identity import (
    IdentityError,
    is_personal_number,
    luhn_check_digit,
    parse_patient_number,
)
from webapp.models import Case

from .factories import identity_data, referral_data, unidentified_referral_data

TODAY = date(2026, 1, 15)
TOO_OLD = "över 125 år"
# Born 1 January 1930: a plus typed for the minus reads it as 1830.
NINE = "300101123"
TEN = NINE + str(luhn_check_digit(NINE))
PLUS_FOR_MINUS = f"{TEN[:6]}+{TEN[6:]}"


def test_a_birth_over_125_years_back_is_refused() -> None:
    with pytest.raises(IdentityError) as info:
        parse_patient_number(PLUS_FOR_MINUS, TODAY)
    assert TOO_OLD in str(info.value)
    with pytest.raises(IdentityError):
        parse_patient_number(f"18{TEN}", TODAY)


def test_125_years_is_taken() -> None:
    nine = "010115123"
    ten = nine + str(luhn_check_digit(nine))
    assert parse_patient_number(f"{ten[:6]}+{ten[6:]}", TODAY).birth_date == date(1901, 1, 15)


def test_the_same_number_in_free_text_is_still_a_personnummer_to_anonymise() -> None:
    assert is_personal_number(PLUS_FOR_MINUS, TODAY)


@pytest.fixture
def incident(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})


def test_a_referral_refuses_it_beside_the_field(
    app: Flask, client: FlaskClient, incident: None
) -> None:
    response = client.post("/cases/new", data=referral_data(personal_number=PLUS_FOR_MINUS))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert TOO_OLD in page.split('id="personal_number-error"', 1)[1][:400]
    assert PLUS_FOR_MINUS in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0


def test_an_identity_correction_refuses_it_beside_the_field(
    app: Flask, client: FlaskClient, incident: None
) -> None:
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    response = client.post(
        location + "/identity", data=identity_data(personal_number=PLUS_FOR_MINUS)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert TOO_OLD in page.split('id="personal_number-error"', 1)[1][:400]
    with app.app_context():
        assert db.session.scalar(select(Case.patient_id_kind)) == "reserve"
