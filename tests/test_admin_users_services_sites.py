"""The services that change a user or end their logins refuse another site's user themselves.

The views check the site first; the writes refuse as well, whoever calls them (as unlock_user
does): an admin of one site never changes, deactivates or logs out another site's staff.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from webapp.auth.accounts import update_user
from webapp.auth.sessions import end_logins
from webapp.extensions import db
from webapp.models import AuditEvent, User, UserSession

from .factories import second_site

NOT_HERE = "finns inte på den här enheten"


@pytest.fixture
def lby(app: Flask) -> int:
    return second_site(app)


def _events(app: Flask, action: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == action))
        )


def test_update_user_refuses_another_sites_user(
    app: Flask, user_factory, tablet_factory, lby: int
) -> None:
    admin = user_factory(role="admin", username="boss")
    other = user_factory(username="lby-anna", site_id=lby, display_name="Anna Lillby")
    tablet_factory("lby-anna")
    with app.app_context(), pytest.raises(ValueError, match=NOT_HERE):
        update_user(
            other.id,
            display_name="Someone Else",
            role="radiographer",
            is_active=False,
            new_secret="",
            kind="pin",
            actor=db.session.get(User, admin.id),
        )
    with app.app_context():
        person = db.session.get(User, other.id)
        assert (person.display_name, person.is_active) == ("Anna Lillby", True)
        live = db.session.scalars(
            select(UserSession).where(
                UserSession.user_id == other.id, UserSession.revoked_at.is_(None)
            )
        ).all()
        assert len(live) == 1
    assert _events(app, "user_change") == []


def test_end_logins_refuses_another_sites_user(
    app: Flask, user_factory, tablet_factory, lby: int
) -> None:
    admin = user_factory(role="admin", username="boss")
    other = user_factory(username="lby-anna", site_id=lby)
    tablet = tablet_factory("lby-anna")
    with app.app_context(), pytest.raises(ValueError, match=NOT_HERE):
        end_logins(other.id, db.session.get(User, admin.id), 15)
    assert tablet.get("/").status_code == 200
    assert _events(app, "sessions_end") == []


def test_update_user_still_changes_a_user_of_the_admins_own_site(app: Flask, user_factory) -> None:
    admin = user_factory(role="admin", username="boss")
    person = user_factory(username="anna", display_name="Anna Ek")
    with app.app_context():
        update_user(
            person.id,
            display_name="Anna Berg",
            role="radiographer",
            is_active=True,
            new_secret="",
            kind="pin",
            actor=db.session.get(User, admin.id),
        )
        assert db.session.get(User, person.id).display_name == "Anna Berg"
