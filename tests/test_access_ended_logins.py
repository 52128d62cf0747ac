"""A login that ended (by an admin, idle, the account deactivated) reaches no patient data,
through pages or the JSON endpoints a tablet keeps calling in the background."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from webapp.auth.login import revoke_session
from webapp.extensions import db
from webapp.models import AuditEvent, User, UserSession, utcnow
from webapp.security import BACKGROUND_HEADER

from .factories import DEFAULT_PIN, make_user
from .test_access_wall import (
    EXPECTED,
    LAST,
    PATIENT_NAME,
    PERSONAL_NUMBERS,
    PUBLIC,
    World,
    build_world,
    concrete_path,
    every_method,
    ordered_rules,
)

USERNAME = "ended-admin"


def _live_session_id() -> int:
    session_id = db.session.scalar(
        select(UserSession.id)
        .join(User, User.id == UserSession.user_id)
        .where(User.username == USERNAME, UserSession.revoked_at.is_(None))
    )
    assert session_id is not None
    return session_id


def _ended_by_admin() -> None:
    revoke_session(_live_session_id(), "admin")


def _idle() -> None:
    # Past the idle timeout (15 minutes) by the clock the server reads.
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == _live_session_id())
        .values(last_seen_at=utcnow() - timedelta(minutes=16))
    )
    db.session.commit()


def _deactivated() -> None:
    # Only the flag, as a second tab of the admin page might leave it: the request itself
    # must refuse an inactive user whose login is still live.
    db.session.execute(update(User).where(User.username == USERNAME).values(is_active=False))
    db.session.commit()


def _reactivate() -> None:
    db.session.execute(update(User).where(User.username == USERNAME).values(is_active=True))
    db.session.commit()


ENDINGS: dict[str, Callable[[], None]] = {
    "admin": _ended_by_admin,
    "idle": _idle,
    "deactivated": _deactivated,
}


def _logged_in(app: Flask) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": USERNAME, "secret": DEFAULT_PIN})
    assert response.status_code == 302
    return client


def _reads_in_name(app: Flask) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                select(func.count(AuditEvent.id)).where(
                    AuditEvent.username == USERNAME, AuditEvent.action.like("%view%")
                )
            )
            or 0
        )


@pytest.fixture
def world(app: Flask) -> World:
    built = build_world(app)
    with app.app_context():
        # An admin reaches every route a role can, the access log among them.
        make_user(role="admin", username=USERNAME)
    return built


@pytest.mark.parametrize("ending", sorted(ENDINGS))
@pytest.mark.parametrize("background", [False, True], ids=["tap", "background"])
def test_an_ended_login_reaches_no_patient_data_on_any_route(
    app: Flask, world: World, ending: str, background: bool
) -> None:
    identifiers = (PATIENT_NAME, *PERSONAL_NUMBERS, world.case_code, "Åsa Öberg", "Utkast Patient")
    headers = {BACKGROUND_HEADER: "1"} if background else {}
    reads_before = _reads_in_name(app)
    failures = []
    for rule in ordered_rules(app):
        if rule.endpoint in LAST or EXPECTED[rule.endpoint] == PUBLIC:
            continue
        path = concrete_path(rule, world.params())
        for method in every_method(rule):
            # A fresh login for each request, ended just before it: the first refused request
            # would otherwise end the login for all that follow.
            with app.app_context():
                _reactivate()
            client = _logged_in(app)
            with app.app_context():
                ENDINGS[ending]()
            response = client.open(path, method=method, headers=headers, data={})
            body = response.get_data().decode("utf-8", "replace")
            response.close()
            shown = [i for i in identifiers if i in body]
            status = response.status_code
            if path.startswith("/api/"):
                refused = status == 401 and "login_required" in body
            else:
                location = response.headers.get("Location", "")
                refused = status == 302 and location.startswith("/login")
            if shown or not refused:
                failures.append((method, rule.rule, status, shown))
    assert failures == []
    assert _reads_in_name(app) == reads_before
