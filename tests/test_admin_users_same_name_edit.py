"""Renaming a user to a name another user of the site has is asked first, as adding one is:
two people under one name make their signatures and access-log rows read as one person's."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import User

from .factories import hidden_value

ASKED = "Det finns redan en användare med namnet (anna)."


def _edit(client: FlaskClient, user_id: int, **extra: str):  # type: ignore[no-untyped-def]
    page = client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    data = {
        "display_name": "anna  EK",
        "role": "radiographer",
        "is_active": "y",
        "kind": "pin",
        "base_state": hidden_value(page, "base_state"),
        **extra,
    }
    return client.post(f"/admin/users/{user_id}", data=data)


def _name(app: Flask, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).display_name


def test_a_rename_to_another_users_name_is_asked_beside_the_field_keeping_it(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    user_factory(username="anna", display_name="Anna Ek")
    bo = user_factory(username="bo", display_name="Bo Lind")
    auth.login("admin")
    response = _edit(client, bo.id)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    name_field = page[page.index('data-field="display_name"') :]
    assert ASKED in name_field[: name_field.index('data-field="role"')]
    assert 'value="anna  EK"' in page
    assert 'name="same_name_confirmed"' in page
    assert _name(app, bo.id) == "Bo Lind"


def test_the_tick_saves_the_name_another_user_has(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    user_factory(username="anna", display_name="Anna Ek")
    bo = user_factory(username="bo", display_name="Bo Lind")
    auth.login("admin")
    response = _edit(
        client,
        bo.id,
        display_name="Anna Ek",
        same_name_confirmed="y",
        same_name_confirmed_for="anna ek",
    )
    assert response.status_code == 302
    assert _name(app, bo.id) == "Anna Ek"


def test_a_user_keeping_their_own_name_is_not_asked(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    anna = user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    assert _edit(client, anna.id, display_name="Anna Ek", role="secretary").status_code == 302


def test_two_users_named_alike_already_are_not_asked_again_for_another_change(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    user_factory(username="anna", display_name="Anna Ek")
    other = user_factory(username="anna2", display_name="Anna Ek")
    auth.login("admin")
    assert _edit(client, other.id, display_name="Anna Ek", role="secretary").status_code == 302
