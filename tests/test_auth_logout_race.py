"""One login ended twice at the same moment: a double tap on "Logga ut", or the logout and
the idle timeout together (real concurrent requests)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, UserSession

from .row_held import sent_while_row_held


def test_a_login_ended_twice_at_once_is_logged_out_once(app: Flask, tablet_factory) -> None:
    tablet = tablet_factory("anna")
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = tablet.get_cookie(name)
    assert cookie is not None
    # The same tablet's second tap: the same cookie, sent before the first is answered.
    again = app.test_client()
    again.set_cookie(name, cookie.value)
    with app.app_context():
        (session_id,) = db.session.scalars(select(UserSession.id)).all()
    responses = sent_while_row_held(
        app,
        "user_session",
        session_id,
        [lambda: tablet.post("/logout"), lambda: again.post("/logout")],
    )
    assert [r.status_code for r in responses] == [302, 302]
    with app.app_context():
        logouts = select(func.count(AuditEvent.id)).where(AuditEvent.action == "logout")
        assert db.session.scalar(logouts) == 1
        assert db.session.scalar(select(UserSession.revoked_reason)) == "logout"
