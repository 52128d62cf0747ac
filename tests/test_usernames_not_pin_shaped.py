"""No username has the shape of a PIN (six digits or more): the login page withholds such a name
after every refusal (it may be a PIN typed in the wrong field), so its user would retype it after
each slip, and a list of users would read as a list of PINs."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.admin.staff_list import parse_staff_list
from webapp.auth.accounts import create_user
from webapp.extensions import db
from webapp.models import User

PIN_LIKE = "Användarnamnet får inte bara vara siffror (sex eller fler): det liknar en PIN-kod."


def _users(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


def test_the_admin_cannot_give_a_new_user_a_pin_shaped_username(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    before = _users(app)
    data = {
        "display_name": "Bo Berg",
        "username": "582913",
        "role": "secretary",
        "kind": "password",
        "secret": "ett långt lösenord",
    }
    response = client.post("/admin/users", data=data)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert PIN_LIKE in page and 'value="Bo Berg"' in page
    assert _users(app) == before


def test_the_first_administrator_cannot_take_a_pin_shaped_username(
    app: Flask, client: FlaskClient
) -> None:
    data = {
        "display_name": "Åsa Öberg",
        "username": "70412388",
        "kind": "password",
        "secret": "ett långt lösenord",
        "confirm": "ett långt lösenord",
    }
    page = html.unescape(client.post("/setup", data=data).get_data(as_text=True))
    assert "Det du skrev i användarnamnet visas inte igen" in page
    assert _users(app) == 0


def test_a_staff_list_line_with_a_pin_shaped_username_names_its_problem() -> None:
    (line,) = parse_staff_list("Anna Ek;582913;radiolog", taken=set(), existing_names={})
    assert [p.text() for p in line.problems] == [PIN_LIKE]


def test_the_command_line_cannot_make_one(app: Flask) -> None:
    with app.app_context(), pytest.raises(ValueError, match="liknar en PIN-kod"):
        create_user(
            site_id=1,
            username="123456789",
            display_name="Bo",
            role="secretary",
            secret="ett långt lösenord",
            kind="password",
        )


@pytest.mark.parametrize("username", ["12345", "r2d2", "anna.582913", "bo-2026"])
def test_names_with_fewer_digits_or_a_letter_are_usernames(username: str) -> None:
    (line,) = parse_staff_list(f"Anna Ek;{username};radiolog", taken=set(), existing_names={})
    assert not line.problems
