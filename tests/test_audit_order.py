"""The audit log lists events in the order they were written, whatever the laptop's clock said."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.admin.queries import audit_query
from webapp.extensions import db

from .clock_support import clock_set_back
from .factories import declare_incident


def test_an_event_logged_after_the_clock_was_set_back_is_listed_first(
    app: Flask, client: FlaskClient, auth
) -> None:
    admin = auth.login("admin")
    with clock_set_back():
        declare_incident(client)
    with app.app_context():
        (newest, _code), *older = db.session.execute(audit_query(admin.site_id)).all()
        assert newest.action == "incident_declare"
        assert "login" in [event.action for event, _code in older]
