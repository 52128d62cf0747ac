"""What an admin may set for a user: a secret the login page accepts, a name without the spaces
a tablet's autocomplete adds (as on creating)."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.auth.forms import LoginForm
from webapp.auth.passwords import SECRET_MAX_LENGTH
from webapp.extensions import db
from webapp.models import User

TOO_LONG = "Lösenordet får vara högst 200 tecken."


def _create(client: FlaskClient, secret: str) -> tuple[int, str]:
    response = client.post(
        "/admin/users",
        data={
            "display_name": "Bo Lång",
            "username": "bo",
            "role": "radiographer",
            "kind": "password",
            "secret": secret,
        },
    )
    return response.status_code, html.unescape(response.get_data(as_text=True))


def test_the_login_form_accepts_the_longest_secret_an_admin_may_set(app: Flask) -> None:
    with app.test_request_context():
        form = LoginForm(formdata=None, data={"username": "bo", "secret": "x" * SECRET_MAX_LENGTH})
        assert form.validate()
        form.secret.data = "x" * (SECRET_MAX_LENGTH + 1)
        assert not form.validate()


def test_a_password_longer_than_the_login_page_takes_is_refused_on_creating(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    status, page = _create(client, "x" * (SECRET_MAX_LENGTH + 1))
    assert status == 400
    assert TOO_LONG in page
    # What was typed stays (the secret field is never drawn back).
    assert 'value="Bo Lång"' in page and 'value="bo"' in page
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "bo")) is None


def test_a_password_of_the_longest_length_is_one_its_user_can_log_in_with(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    secret = "x" * SECRET_MAX_LENGTH
    assert _create(client, secret)[0] == 302
    response = app.test_client().post("/login", data={"username": "bo", "secret": secret})
    assert response.status_code == 302


def test_a_password_longer_than_the_login_page_takes_is_refused_on_editing(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    anna = user_factory(username="anna")
    auth.login("admin")
    with app.app_context():
        before = db.session.get(User, anna.id).secret_hash
    response = client.post(
        f"/admin/users/{anna.id}",
        data={
            "display_name": "Anna Ek",
            "role": "radiographer",
            "is_active": "y",
            "kind": "password",
            "secret": "x" * (SECRET_MAX_LENGTH + 1),
        },
    )
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert TOO_LONG in page
    assert 'value="Anna Ek"' in page
    with app.app_context():
        assert db.session.get(User, anna.id).secret_hash == before


def test_an_edited_name_is_stored_without_surrounding_spaces(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    anna = user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    response = client.post(
        f"/admin/users/{anna.id}",
        data={"display_name": "  Anna Berg ", "role": "radiographer", "is_active": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, anna.id).display_name == "Anna Berg"


def test_a_name_changed_only_by_spaces_is_no_change(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    anna = user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    client.post(
        f"/admin/users/{anna.id}",
        data={"display_name": " Anna Ek ", "role": "secretary", "is_active": "y"},
    )
    rows = client.get("/admin/audit.csv?username=test-admin&action=user_change").get_data(
        as_text=True
    )
    assert "anna: roll Röntgensjuksköterska→Sekreterare" in rows
    assert "namn" not in rows
