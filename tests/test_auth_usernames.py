"""Usernames as typed on a tablet (spaces from autocomplete, capitals, letters outside a–z) and
the tablet's list of recent ones."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import User

NEW_PIN = "735194"


def _create(client: FlaskClient, username: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/admin/users",
        data={
            "display_name": "Anna Karlsson",
            "username": username,
            "role": "radiographer",
            "kind": "pin",
            "secret": NEW_PIN,
        },
    )


def _usernames(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(User.username).order_by(User.username)))


def test_a_new_username_with_spaces_around_it_is_created_without_them(
    app: Flask, client: FlaskClient, auth
) -> None:
    # A tablet's autocomplete adds a space after a word; the admin cannot see it.
    auth.login("admin")
    response = _create(client, " Anna.K ")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "anna.k" in _usernames(app)
    assert client.post("/logout").status_code == 302
    login = client.post("/login", data={"username": "anna.k ", "secret": NEW_PIN})
    assert login.status_code == 302


def test_a_username_with_a_space_inside_is_refused_with_the_input_kept(
    client: FlaskClient, auth
) -> None:
    auth.login("admin")
    response = _create(client, "anna karlsson")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bara bokstäver a–z" in page
    assert 'value="anna karlsson"' in page


def test_a_username_with_swedish_letters_is_refused_next_to_the_field(
    client: FlaskClient, auth
) -> None:
    auth.login("admin")
    response = _create(client, "åsa.öberg")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bara bokstäver a–z" in page
    assert 'value="åsa.öberg"' in page


def test_the_first_admins_username_with_spaces_around_it_is_created_without_them(
    app: Flask, client: FlaskClient
) -> None:
    response = client.post(
        "/setup",
        data={
            "display_name": "Åsa Admin",
            "username": "Asa ",
            "kind": "password",
            "secret": "lång-hemlighet-42",
            "confirm": "lång-hemlighet-42",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _usernames(app) == ["asa"]


def test_username_fields_are_not_autocorrected_on_a_tablet(client: FlaskClient, auth) -> None:
    auth.login("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    field = page[page.index('id="username"') - 200 : page.index('id="username"') + 200]
    assert 'autocorrect="off"' in field
    assert 'spellcheck="false"' in field


@pytest.mark.parametrize("cookie", ["5", "null", '{"a": 1}', "[1, null]", "%%"])
def test_a_damaged_recent_users_cookie_still_shows_the_login_page(
    client: FlaskClient, user_factory, cookie: str
) -> None:
    user_factory(username="anna")
    client.set_cookie("reservrutin_recent", cookie)
    response = client.get("/login")
    assert response.status_code == 200
    assert 'id="login-form"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "typed",
    [
        "\u0430nna",  # a Cyrillic а: reads as "anna" in the access log, yet is another account
        "anna svensson",
        " ",
        "a" * 65,
    ],
)
def test_the_create_user_command_refuses_a_username_the_login_page_would_not_take(
    app: Flask, runner, typed: str
) -> None:
    result = runner.invoke(args=["create-user", typed, "--role", "admin", "--pin", NEW_PIN])
    assert result.exit_code == 2, result.output
    assert "bokstäver a–z" in result.output
    assert _usernames(app) == []
