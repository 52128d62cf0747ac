"""A device locked out after wrong tries at many usernames: its admin sees the lock on the users
page and lifts it, in the access log, instead of the whole department waiting it out."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.auth.lockout import account_key, address_key
from webapp.extensions import db
from webapp.models import AuditEvent, FailedLogin, utcnow

from .dbsetup import make_test_app
from .factories import DEFAULT_PIN, make_user

WRONG = "999999"
TABLET = {"REMOTE_ADDR": "10.0.0.66"}
LIFT = "/admin/users/address-unlock"


def _login(client: FlaskClient, username: str, secret: str):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"username": username, "secret": secret}, environ_base=TABLET)


def _lock_the_tablet(app: Flask, client: FlaskClient, user_factory) -> None:  # type: ignore[no-untyped-def]
    """Wrong tries spread over many names, as a busy department's shared tablet gets them."""
    names = [f"user{n}" for n in range(6)]
    for name in names:
        user_factory(username=name)
    for name in names[:5]:
        for _ in range(4):
            _login(client, name, WRONG)
    page = _login(client, "user5", DEFAULT_PIN).get_data(as_text=True)
    assert "För många felaktiga försök från den här enheten" in page


def _lift(admin: FlaskClient, address: str = "10.0.0.66"):  # type: ignore[no-untyped-def]
    return admin.post(LIFT, data={"address": address, "form_key": "k" * 20})


def test_the_users_page_names_a_locked_device_with_its_lift_button(
    app: Flask, client: FlaskClient, user_factory, tablet_factory
) -> None:
    _lock_the_tablet(app, client, user_factory)
    page = tablet_factory("boss", role="admin").get("/admin/users").get_data(as_text=True)
    assert "Spärrade enheter" in page
    form = re.search(rf'<form[^>]*action="{LIFT}"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None and 'value="10.0.0.66"' in form.group(1)


def test_no_locked_device_no_section(tablet_factory) -> None:
    page = tablet_factory("boss", role="admin").get("/admin/users").get_data(as_text=True)
    assert "Spärrade enheter" not in page and LIFT not in page


def test_an_admin_lifts_a_device_lock_and_staff_log_in_there_again(
    app: Flask, client: FlaskClient, user_factory, tablet_factory
) -> None:
    _lock_the_tablet(app, client, user_factory)
    admin = tablet_factory("boss", role="admin")
    answer = _lift(admin)
    assert answer.status_code == 302
    assert "Spärren för enheten är hävd" in admin.get("/admin/users").get_data(as_text=True)
    assert _login(client, "user5", DEFAULT_PIN).status_code == 302
    assert "Spärrade enheter" not in admin.get("/admin/users").get_data(as_text=True)


def test_the_lift_is_in_the_access_log_with_the_admin_and_the_address(
    app: Flask, client: FlaskClient, user_factory, tablet_factory
) -> None:
    _lock_the_tablet(app, client, user_factory)
    admin = tablet_factory("boss", role="admin")
    _lift(admin)
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "address_unlock")
        ).all()
    assert [(e.username, e.detail) for e in events] == [("boss", "10.0.0.66")]
    log = admin.get("/admin/audit?action=address_unlock").get_data(as_text=True)
    assert "Spärr för enhet hävd" in log and "10.0.0.66" in log


def test_lifting_a_device_lock_keeps_a_users_own_lock_there(
    app: Flask, client: FlaskClient, user_factory, tablet_factory
) -> None:
    """The device may go on; the name it guessed at five times stays locked there until the
    user's own lock is lifted (Häv spärr on the user's row) or runs out."""
    anna = user_factory(username="anna")
    until = utcnow() + timedelta(minutes=10)
    with app.app_context():
        for key in (address_key("10.0.0.66"), account_key(anna.id, "10.0.0.66")):
            db.session.add(FailedLogin(key=key, last_failed_at=utcnow(), locked_until=until))
        db.session.commit()
    _lift(tablet_factory("boss", role="admin"))
    assert "Kontot är spärrat" in _login(client, "anna", DEFAULT_PIN).get_data(as_text=True)


def test_a_lock_already_over_is_said_calmly_and_logs_nothing(app: Flask, tablet_factory) -> None:
    admin = tablet_factory("boss", role="admin")
    page = admin.post(
        LIFT, data={"address": "10.0.0.66", "form_key": "k" * 20}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Enheten var inte spärrad" in page
    with app.app_context():
        assert not db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "address_unlock")
        ).all()


def test_only_an_admin_lifts_a_device_lock(
    app: Flask, client: FlaskClient, user_factory, tablet_factory
) -> None:
    _lock_the_tablet(app, client, user_factory)
    for role in ("radiographer", "radiologist", "secretary"):
        assert _lift(tablet_factory(f"not-{role}", role=role)).status_code == 403
    assert "från den här enheten" in _login(client, "user5", DEFAULT_PIN).get_data(as_text=True)


def test_a_lift_without_the_pages_token_is_refused(tmp_path: Path) -> None:
    app, teardown = make_test_app(tmp_path)
    try:
        with app.app_context():
            make_user(username="boss", role="admin")
            db.session.add(
                FailedLogin(
                    key=address_key("10.0.0.66"),
                    last_failed_at=utcnow(),
                    locked_until=utcnow() + timedelta(minutes=10),
                )
            )
            db.session.commit()
        admin = app.test_client()
        page = admin.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token is not None
        login = {"username": "boss", "secret": DEFAULT_PIN, "csrf_token": token.group(1)}
        assert admin.post("/login", data=login).status_code == 302
        assert _lift(admin).status_code == 400
        with app.app_context():
            assert db.session.get(FailedLogin, address_key("10.0.0.66")) is not None
    finally:
        teardown()


def test_the_locked_device_is_told_an_admin_can_lift_the_lock(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    _lock_the_tablet(app, client, user_factory)
    page = _login(client, "user5", DEFAULT_PIN).get_data(as_text=True)
    assert "be en administratör häva spärren för enheten" in page
