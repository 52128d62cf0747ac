"""An admin cannot take away their own admin rights: told so beside the field they changed."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import User


def _field_error(body: str, name: str) -> str:
    found = re.search(rf'<p class="error" id="{name}-error"[^>]*>(.*?)</p>', body, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def _own_row(app: Flask, username: str) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert user is not None
        return user


def test_deactivating_oneself_is_refused_beside_the_active_box(
    app: Flask, client: FlaskClient, auth
) -> None:
    me = auth.login("admin", username="chef")
    response = client.post(
        f"/admin/users/{me.id}",
        data={"display_name": "Chef Ek", "role": "admin", "is_active": "", "kind": "pin"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "inaktivera ditt eget konto" in _field_error(body, "is_active")
    # Nothing beside the role, which was left as it was.
    assert _field_error(body, "role") == ""
    # The name typed is kept, and the admin is still an active admin.
    assert 'value="Chef Ek"' in body
    row = _own_row(app, "chef")
    assert row.is_active and row.role == "admin"


def test_demoting_oneself_is_refused_beside_the_role(app: Flask, client: FlaskClient, auth) -> None:
    me = auth.login("admin", username="chef")
    response = client.post(
        f"/admin/users/{me.id}",
        data={"display_name": "Chef Ek", "role": "secretary", "is_active": "y", "kind": "pin"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "administratörsbehörighet" in _field_error(body, "role")
    assert _field_error(body, "is_active") == ""
    assert _own_row(app, "chef").role == "admin"
