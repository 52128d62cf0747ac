"""A PIN holds the digits 0–9 only: other scripts' digits pass str.isdigit, not the number pad."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.auth.passwords import validate_secret
from webapp.extensions import db
from webapp.models import User

from .factories import DEFAULT_PIN

# 482915 in Arabic-Indic, Extended Arabic-Indic (Persian), fullwidth and Devanagari digits.
OTHER_DIGITS = ["٤٨٢٩١٥", "۴۸۲۹۱۵", "４８２９１５", "४८२९१५"]
ONLY_0_TO_9 = "PIN-koden får bara ha siffrorna 0–9."


@pytest.mark.parametrize("pin", OTHER_DIGITS)
def test_a_pin_of_other_digits_is_refused(pin: str) -> None:
    assert validate_secret(pin, "pin") == ONLY_0_TO_9


def test_a_pin_of_digits_0_to_9_is_taken() -> None:
    assert validate_secret("583920", "pin") is None


@pytest.mark.parametrize("pin", OTHER_DIGITS)
def test_setup_refuses_a_pin_of_other_digits_beside_the_field_and_keeps_the_input(
    client: FlaskClient, app: Flask, pin: str
) -> None:
    response = client.post(
        "/setup",
        data={
            "display_name": "Åsa Öberg",
            "username": "asa",
            "kind": "pin",
            "secret": pin,
            "confirm": pin,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="secret-error"' in page and ONLY_0_TO_9 in page
    assert 'value="Åsa Öberg"' in page
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_a_user_cannot_change_their_pin_to_other_digits(client: FlaskClient, user_factory) -> None:
    user_factory(username="anna")
    client.post("/login", data={"username": "anna", "secret": DEFAULT_PIN})
    response = client.post(
        "/me/secret",
        data={"current": DEFAULT_PIN, "new": "٥٩٣٨١٧", "confirm": "٥٩٣٨١٧", "kind": "pin"},
    )
    assert response.status_code == 400
    assert ONLY_0_TO_9 in response.get_data(as_text=True)


@pytest.mark.parametrize("pin", OTHER_DIGITS)
def test_a_pin_typed_in_other_digits_at_login_just_fails(
    client: FlaskClient, user_factory, pin: str
) -> None:
    user_factory(username="anna")
    response = client.post("/login", data={"username": "anna", "secret": pin})
    assert response.status_code == 200
    assert "Fel användarnamn eller PIN-kod/lösenord." in response.get_data(as_text=True)
