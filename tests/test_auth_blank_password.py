"""A password of spaces alone is refused where it is set: the login page reads it as empty."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import User

SPACES = " " * 12
ONLY_SPACES = "Lösenordet kan inte bara vara mellanslag."


def test_an_admin_cannot_give_a_new_user_a_password_of_spaces(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    response = client.post(
        "/admin/users",
        data={
            "display_name": "Bo Lind",
            "username": "bo.lind",
            "role": "radiographer",
            "kind": "password",
            "secret": SPACES,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert ONLY_SPACES in page and 'value="Bo Lind"' in page
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "bo.lind")) is None


def test_an_admin_cannot_set_a_users_password_to_spaces(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    anna = tablet_factory("anna")
    auth.login("admin")
    with app.app_context():
        anna_id = db.session.scalar(select(User.id).where(User.username == "anna"))
    response = client.post(
        f"/admin/users/{anna_id}",
        data={
            "display_name": "Anna",
            "role": "radiographer",
            "is_active": "y",
            "kind": "password",
            "secret": SPACES,
        },
    )
    assert response.status_code == 400
    assert ONLY_SPACES in response.get_data(as_text=True)
    # Nothing was changed: Anna's PIN and her login still hold.
    assert anna.get("/me").status_code == 200
