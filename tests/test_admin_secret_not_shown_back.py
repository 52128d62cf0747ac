"""A PIN or password typed into a form is never put back into the page that refuses the form:
the admin types it again, told so beside the field, and everything else typed is kept."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import User

from .factories import DEFAULT_PIN
from .test_storage_refused import READ_ONLY, refusing_writes

PIN = "583920"
PASSWORD = "Vinterdag-2026x"
AGAIN_PIN = "PIN-koden visas inte igen och är inte sparad. Skriv den på nytt."
AGAIN_PASSWORD = "Lösenordet visas inte igen och är inte sparat. Skriv det på nytt."


def _new_user(client: FlaskClient, **extra: str):  # type: ignore[no-untyped-def]
    data = {
        "display_name": "Anna Ek",
        "username": "anna.ek",
        "role": "secretary",
        "kind": "pin",
        "secret": PIN,
        **extra,
    }
    return client.post("/admin/users", data=data)


def _secret_field(page: str) -> str:
    start = page.index('data-field="secret"')
    return page[start : page.index("</div>", start)]


@pytest.mark.parametrize(
    ("existing", "extra"),
    [
        pytest.param({"username": "anna", "display_name": "Anna Ek"}, {}, id="same-name-asked"),
        pytest.param({"username": "anna.ek", "display_name": "Bo Lind"}, {}, id="username-taken"),
    ],
)
def test_adding_a_user_sent_back_does_not_show_the_pin_again(
    client: FlaskClient, auth, user_factory, existing: dict[str, str], extra: dict[str, str]
) -> None:
    user_factory(**existing)
    auth.login("admin")
    response = _new_user(client, **extra)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert PIN not in page
    assert AGAIN_PIN in _secret_field(page)
    # Everything else typed is kept.
    assert 'value="Anna Ek"' in page and 'value="anna.ek"' in page
    assert '<option selected value="secretary">' in page


def test_a_password_sent_back_is_not_shown_and_is_asked_for_as_a_password(
    client: FlaskClient, auth, user_factory
) -> None:
    user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    response = _new_user(client, kind="password", secret=PASSWORD)
    page = html.unescape(response.get_data(as_text=True))
    assert PASSWORD not in page
    assert AGAIN_PASSWORD in _secret_field(page)


def test_a_form_refused_for_its_name_alone_does_not_show_the_pin_again(
    client: FlaskClient, auth
) -> None:
    auth.login("admin")
    response = _new_user(client, display_name="")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and PIN not in page
    assert AGAIN_PIN in _secret_field(page)


def test_the_pin_typed_again_with_the_tick_makes_the_user(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    _new_user(client)
    answer = _new_user(client, same_name_confirmed="y", same_name_confirmed_for="anna ek")
    assert answer.status_code == 302
    assert client.post("/logout").status_code == 302
    login = client.post("/login", data={"username": "anna.ek", "secret": PIN})
    assert login.status_code == 302


def test_a_refused_change_of_a_users_pin_says_the_new_pin_was_not_saved(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    """Its field comes back empty, and empty means "unchanged": saved again as it stands, the
    user would keep the old PIN while the admin hands out the new one."""
    anna = user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    data = {"display_name": "Anna Ek", "role": "radiographer", "is_active": "y", "kind": "pin"}
    # A page opened before another admin's change: refused as stale.
    response = client.post(
        f"/admin/users/{anna.id}", data=data | {"secret": PIN, "base_state": "0" * 16}
    )
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert PIN not in page
    assert AGAIN_PIN in _secret_field(page)


def test_an_edit_without_a_new_pin_asks_for_none(client: FlaskClient, auth, user_factory) -> None:
    anna = user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    data = {"display_name": "", "role": "radiographer", "is_active": "y", "kind": "pin"}
    page = client.post(f"/admin/users/{anna.id}", data=data).get_data(as_text=True)
    assert "visas inte igen" not in html.unescape(page)


def test_own_secret_refused_shows_neither_the_current_nor_the_new(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    data = {"current": "000000", "kind": "pin", "new": PIN, "confirm": PIN}
    page = client.post("/me/secret", data=data).get_data(as_text=True)
    assert "stämmer inte" in html.unescape(page)
    assert PIN not in page and "000000" not in page and DEFAULT_PIN not in page


def test_setup_refused_does_not_show_the_password(app: Flask, client: FlaskClient) -> None:
    data = {
        "display_name": "Åsa Admin",
        "username": "a",
        "kind": "password",
        "secret": PASSWORD,
        "confirm": PASSWORD,
    }
    page = client.post("/setup", data=data).get_data(as_text=True)
    assert "2–64 tecken." in html.unescape(page) and PASSWORD not in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.sqlite_only
def test_a_user_refused_by_the_disk_does_not_show_the_pin_again(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    with refusing_writes(app, READ_ONLY):
        response = _new_user(client)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 503
    assert PIN not in page and 'value="anna.ek"' in page
    assert AGAIN_PIN in _secret_field(page)
