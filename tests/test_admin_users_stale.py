"""Two admins editing one user: a save from a page opened earlier keeps the other's change."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import User

from .factories import DEFAULT_PIN


def _state_of_page(page: str) -> str:
    found = re.search(r'name="base_state"[^>]*value="([0-9a-f]+)"', page) or re.search(
        r'value="([0-9a-f]+)"[^>]*name="base_state"', page
    )
    assert found, "the edit page carries what it showed of the user"
    return found.group(1)


def _second_admin(app: Flask, user_factory) -> FlaskClient:
    user_factory(role="admin", username="chef2")
    browser = app.test_client()
    response = browser.post("/login", data={"username": "chef2", "secret": DEFAULT_PIN})
    assert response.status_code == 302
    return browser


def _form(base_state: str, **overrides: str) -> dict[str, str]:
    data = {"display_name": "Anna Ek", "role": "radiographer", "is_active": "y", "kind": "pin"}
    return data | {"base_state": base_state} | overrides


def _user(app: Flask, user_id: int) -> tuple[str, str, bool]:
    with app.app_context():
        row = db.session.execute(
            select(User.display_name, User.role, User.is_active).where(User.id == user_id)
        ).one()
        return row.display_name, row.role, row.is_active


def test_a_name_fix_from_a_page_opened_before_a_deactivation_does_not_reactivate_the_user(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    anna = user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    stale = _state_of_page(client.get(f"/admin/users/{anna.id}").get_data(as_text=True))
    other = _second_admin(app, user_factory)
    assert other.post(f"/admin/users/{anna.id}", data=_form("", is_active="")).status_code == 302
    response = client.post(f"/admin/users/{anna.id}", data=_form(stale, display_name="Anna Eklund"))
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert "ändrats av en annan administratör sedan du öppnade sidan" in page
    assert "inaktiverad" in page
    assert 'value="Anna Eklund"' in page  # what was typed is kept
    assert _user(app, anna.id) == ("Anna Ek", "radiographer", False)


def test_saving_again_after_the_warning_applies_the_edit(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    anna = user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    stale = _state_of_page(client.get(f"/admin/users/{anna.id}").get_data(as_text=True))
    other = _second_admin(app, user_factory)
    other.post(f"/admin/users/{anna.id}", data=_form("", role="radiologist"))
    refused = client.post(f"/admin/users/{anna.id}", data=_form(stale, display_name="Anna Eklund"))
    fresh = _state_of_page(refused.get_data(as_text=True))
    assert fresh != stale
    response = client.post(f"/admin/users/{anna.id}", data=_form(fresh, display_name="Anna Eklund"))
    assert response.status_code == 302
    assert _user(app, anna.id) == ("Anna Eklund", "radiographer", True)


def test_a_save_from_an_up_to_date_page_is_stored(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    anna = user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    state = _state_of_page(client.get(f"/admin/users/{anna.id}").get_data(as_text=True))
    response = client.post(f"/admin/users/{anna.id}", data=_form(state, role="secretary"))
    assert response.status_code == 302
    assert _user(app, anna.id) == ("Anna Ek", "secretary", True)
