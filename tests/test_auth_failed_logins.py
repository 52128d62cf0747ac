"""A failed login is logged as what it is, never in the name of whoever is logged in there."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent


def _last_event(app: Flask) -> AuditEvent:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def test_an_unknown_username_typed_on_a_logged_in_tablet_is_not_logged_as_its_user(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiologist")
    response = client.post("/login", data={"username": "nobody", "secret": "482913"})
    assert response.status_code == 200
    event = _last_event(app)
    assert event.action == "login_failed"
    assert event.username == ""
    assert event.user_id is None
    assert "nobody" in event.detail


def test_an_unknown_username_on_a_logged_in_tablet_stays_in_its_sites_access_log(
    app: Flask, client: FlaskClient, auth
) -> None:
    info = auth.login("radiologist")
    client.post("/login", data={"username": "nobody", "secret": "482913"})
    event = _last_event(app)
    assert event.site_id == info.site_id


def test_a_pin_typed_into_the_username_field_is_not_kept_in_the_log(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    client.post("/login", data={"username": "482913", "secret": "482913"})
    event = _last_event(app)
    assert event.action == "login_failed"
    assert "482913" not in event.detail
