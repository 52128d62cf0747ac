"""Two admins editing one user: a save from a page opened earlier keeps the other's change."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import User


def _state_of_page(page: str) -> str:
    found = re.search(r'name="base_state"[^>]*value="([0-9a-f]+)"', page) or re.search(
        r'value="([0-9a-f]+)"[^>]*name="base_state"', page
    )
    assert found, "the edit page carries what it showed of the user"
    return found.group(1)


@pytest.fixture
def two_admins(
    client: FlaskClient, auth, user_factory, tablet_factory
) -> tuple[int, str, FlaskClient]:
    """Anna's edit page opened by this admin (Anna's id, what the page showed of her) and a
    second admin on another device."""
    anna = user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    stale = _state_of_page(client.get(f"/admin/users/{anna.id}").get_data(as_text=True))
    return anna.id, stale, tablet_factory("chef2", role="admin")


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
    app: Flask, client: FlaskClient, two_admins
) -> None:
    anna_id, stale, other = two_admins
    assert other.post(f"/admin/users/{anna_id}", data=_form("", is_active="")).status_code == 302
    response = client.post(f"/admin/users/{anna_id}", data=_form(stale, display_name="Anna Eklund"))
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert "ändrats av en annan administratör sedan du öppnade sidan" in page
    assert "inaktiverad" in page
    assert 'value="Anna Eklund"' in page  # what was typed is kept
    assert _user(app, anna_id) == ("Anna Ek", "radiographer", False)


def test_saving_again_after_the_warning_applies_the_edit(
    app: Flask, client: FlaskClient, two_admins
) -> None:
    anna_id, stale, other = two_admins
    other.post(f"/admin/users/{anna_id}", data=_form("", role="radiologist"))
    refused = client.post(f"/admin/users/{anna_id}", data=_form(stale, display_name="Anna Eklund"))
    fresh = _state_of_page(refused.get_data(as_text=True))
    assert fresh != stale
    response = client.post(f"/admin/users/{anna_id}", data=_form(fresh, display_name="Anna Eklund"))
    assert response.status_code == 302
    assert _user(app, anna_id) == ("Anna Eklund", "radiographer", True)


def test_a_save_from_an_up_to_date_page_is_stored(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    anna = user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    state = _state_of_page(client.get(f"/admin/users/{anna.id}").get_data(as_text=True))
    response = client.post(f"/admin/users/{anna.id}", data=_form(state, role="secretary"))
    assert response.status_code == 302
    assert _user(app, anna.id) == ("Anna Ek", "secretary", True)
