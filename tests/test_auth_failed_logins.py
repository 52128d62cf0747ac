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
    assert "okänt användarnamn" in event.detail


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


def test_an_unknown_username_tried_on_the_login_page_shows_in_the_admins_access_log(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    # Someone trying names at the login page, with no one logged in on that tablet.
    user_factory(username="anna")
    client.post("/login", data={"username": "mallory", "secret": "482913"})
    auth.login("admin")
    page = client.get("/admin/audit?action=login_failed").get_data(as_text=True)
    assert "okänt användarnamn" in page


def test_tries_at_a_locked_unknown_username_show_in_the_admins_access_log(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    # Guessing goes on past the lock: those tries are no less someone at the login page.
    user_factory(username="anna")
    for _ in range(app.config["LOCKOUT_ATTEMPTS"] + 2):
        client.post("/login", data={"username": "mallory", "secret": "482913"})
    auth.login("admin")
    page = client.get("/admin/audit?action=login_locked").get_data(as_text=True)
    assert "försök under spärrtid" in page
    rows = client.get("/admin/audit.csv?action=login_locked").get_data(as_text=True)
    assert rows.count("försök under spärrtid") == 2


def test_a_site_admin_does_not_see_another_sites_named_events(
    app: Flask, client: FlaskClient, auth
) -> None:
    from .factories import make_user, second_site

    other = second_site(app)
    with app.app_context():
        make_user(role="radiographer", username="lby-rsk", site_id=other)
    client.post("/login", data={"username": "lby-rsk", "secret": "999999"})
    auth.login("admin")
    page = client.get("/admin/audit?action=login_failed").get_data(as_text=True)
    assert "lby-rsk" not in page


def test_a_password_typed_into_the_username_field_is_not_kept_in_the_log(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    # Every site's admin sees unknown usernames, and exports them: a password must not be there.
    # What holds a character no username may hold is no username anyone has.
    user_factory(username="anna")
    client.post("/login", data={"username": "Vinter 2026!", "secret": "Vinter 2026!"})
    event = _last_event(app)
    assert event.action == "login_failed"
    assert "vinter" not in event.detail.lower()
    assert "okänt användarnamn" in event.detail


def test_a_password_that_could_be_a_username_is_not_kept_in_the_log(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    # Lowercase letters and digits fit the username rule: "vinter2026" may well be a password
    # typed into the wrong field, so no unknown username is kept as typed.
    user_factory(username="anna")
    client.post("/login", data={"username": "vinter2026", "secret": "vinter2026"})
    event = _last_event(app)
    assert event.action == "login_failed"
    assert "vinter" not in event.detail.lower()
    assert "okänt användarnamn" in event.detail


def test_a_failed_login_as_an_existing_user_is_logged_by_their_name(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    client.post("/login", data={"username": "anna", "secret": "999999"})
    event = _last_event(app)
    assert event.action == "login_failed"
    assert event.username == "anna"
