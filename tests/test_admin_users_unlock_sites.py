"""Unlocking a user: another site's user, or an id that is no user, is told of and left locked."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.auth.accounts import unlock_user
from webapp.auth.lockout import locks_in_force
from webapp.extensions import db
from webapp.models import AuditEvent, User, utcnow

from .factories import second_site

NOT_HERE = "Användaren finns inte på den här enheten."


@pytest.fixture
def lby(app: Flask) -> int:
    return second_site(app)


def _lock_out(app: Flask, username: str) -> None:
    for _ in range(5):
        app.test_client().post("/login", data={"username": username, "secret": "999999"})


def _locked(app: Flask, user_id: int) -> bool:
    with app.app_context():
        return user_id in locks_in_force(db.session(), [user_id], utcnow())


def _unlocks(app: Flask) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "user_unlock"))
        )


def _unlock(admin: FlaskClient, user_id: int) -> str:
    response = admin.post(
        f"/admin/users/{user_id}/unlock", data={"form_key": "k" * 20}, follow_redirects=True
    )
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_another_sites_user_is_not_unlocked_and_the_admin_is_told(
    app: Flask, user_factory, tablet_factory, lby: int
) -> None:
    other = user_factory(username="lby-anna", site_id=lby)
    _lock_out(app, "lby-anna")
    assert _locked(app, other.id)
    admin = tablet_factory("boss", role="admin")
    page = _unlock(admin, other.id)
    assert NOT_HERE in page
    assert "Spärren är hävd." not in page
    assert _locked(app, other.id)
    assert _unlocks(app) == []


def test_an_unknown_user_id_is_told_of(app: Flask, tablet_factory) -> None:
    admin = tablet_factory("boss", role="admin")
    page = _unlock(admin, 987654)
    assert NOT_HERE in page
    assert _unlocks(app) == []


def test_this_sites_user_is_still_unlocked(app: Flask, user_factory, tablet_factory) -> None:
    anna = user_factory(username="anna")
    _lock_out(app, "anna")
    admin = tablet_factory("boss", role="admin")
    page = _unlock(admin, anna.id)
    assert "Spärren är hävd." in page
    assert NOT_HERE not in page
    assert not _locked(app, anna.id)
    assert _unlocks(app) == ["anna"]


def test_the_service_itself_refuses_another_sites_user(app: Flask, user_factory, lby: int) -> None:
    # The view's check is one guard; the write refuses as well, whoever calls it.
    admin = user_factory(role="admin", username="boss")
    other = user_factory(username="lby-anna", site_id=lby)
    _lock_out(app, "lby-anna")
    with app.app_context(), pytest.raises(ValueError, match="finns inte på den här enheten"):
        unlock_user(other.id, db.session.get(User, admin.id))
    assert _locked(app, other.id)
    assert _unlocks(app) == []
