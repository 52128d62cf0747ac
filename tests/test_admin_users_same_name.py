"""Adding one user under a name a user of the site already has is asked first, as the staff
list asks: most often the same person a second time, who would get a second account."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import User

PIN = "583920"
ASKED = "Det finns redan en användare med namnet (anna)."


def _new(client: FlaskClient, **extra: str):  # type: ignore[no-untyped-def]
    data = {
        "display_name": "anna  EK",
        "username": "anna.ek",
        "role": "secretary",
        "kind": "pin",
        "secret": PIN,
        **extra,
    }
    return client.post("/admin/users", data=data)


def _count(app: Flask, username: str) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).where(User.username == username)) or 0)


def test_a_name_a_user_has_is_asked_beside_the_field_keeping_what_was_typed(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    response = _new(client)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    name_field = page[page.index('data-field="display_name"') :]
    assert ASKED in name_field[: name_field.index('data-field="username"')]
    assert 'value="anna  EK"' in page and 'value="anna.ek"' in page
    # The PIN is typed again (test_admin_secret_not_shown_back.py): never put into the page.
    assert PIN not in page
    assert 'name="same_name_confirmed"' in page
    assert _count(app, "anna.ek") == 0


def test_the_tick_creates_the_user_named_as_another(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    response = _new(client, same_name_confirmed="y", same_name_confirmed_for="anna ek")
    assert response.status_code == 302
    assert _count(app, "anna.ek") == 1


def test_a_tick_given_for_another_name_is_asked_again(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    user_factory(username="anna", display_name="Anna Ek")
    user_factory(username="bo", display_name="Bo Lind")
    auth.login("admin")
    response = _new(
        client, display_name="Bo Lind", same_name_confirmed="y", same_name_confirmed_for="anna ek"
    )
    assert response.status_code == 400
    assert "Det finns redan en användare med namnet (bo)." in html.unescape(
        response.get_data(as_text=True)
    )
    assert _count(app, "anna.ek") == 0


def test_a_name_no_user_has_is_created_without_asking(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    response = _new(client, display_name="Anna Eklund")
    assert response.status_code == 302
    assert 'name="same_name_confirmed"' not in client.get("/admin/users").get_data(as_text=True)
