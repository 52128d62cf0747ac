"""A lockout holds a username at the address that guessed it, and an address guessing at many
usernames is slowed down: whoever else is on the network cannot lock staff out."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, User

from .factories import DEFAULT_PIN

WRONG = "999999"
GUESSER = {"REMOTE_ADDR": "10.0.0.66"}
OWN_TABLET = {"REMOTE_ADDR": "10.0.0.20"}


def _login(client: FlaskClient, username: str, secret: str, at: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"username": username, "secret": secret}, environ_base=at)


def _lock(client: FlaskClient, username: str, at: dict[str, str] = GUESSER) -> None:
    for _ in range(5):
        _login(client, username, WRONG, at)


def test_a_locked_username_still_logs_in_from_another_address(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna", role="admin")
    _lock(client, "anna")
    assert _login(client, "anna", DEFAULT_PIN, OWN_TABLET).status_code == 302


def test_the_guessing_address_stays_locked_out_of_that_username(
    client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    _lock(client, "anna")
    page = _login(client, "anna", DEFAULT_PIN, GUESSER).get_data(as_text=True)
    assert "Kontot är spärrat efter för många felaktiga försök" in page


def test_an_unknown_username_is_locked_per_address_too(client: FlaskClient, user_factory) -> None:
    user_factory(username="anna")
    _lock(client, "bertil")
    assert "spärrat" in _login(client, "bertil", WRONG, GUESSER).get_data(as_text=True)
    assert "spärrat" not in _login(client, "bertil", WRONG, OWN_TABLET).get_data(as_text=True)


def test_a_forwarded_for_header_does_not_choose_whom_a_lock_holds(
    client: FlaskClient, user_factory
) -> None:
    """Without a proxy in front, X-Forwarded-For is typed by the client itself."""
    user_factory(username="anna")
    for _ in range(5):
        client.post(
            "/login",
            data={"username": "anna", "secret": WRONG},
            environ_base=GUESSER,
            headers={"X-Forwarded-For": OWN_TABLET["REMOTE_ADDR"]},
        )
    assert _login(client, "anna", DEFAULT_PIN, OWN_TABLET).status_code == 302
    assert "spärrat" in _login(client, "anna", DEFAULT_PIN, GUESSER).get_data(as_text=True)


def test_one_address_guessing_across_usernames_is_throttled(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    names = [f"user{n}" for n in range(6)]
    for name in names:
        user_factory(username=name)
    # Four at each name: under any one name's lock, but the address has tried 20 in all.
    for name in names[:5]:
        for _ in range(4):
            page = _login(client, name, WRONG, GUESSER).get_data(as_text=True)
            assert "Kontot är" not in page
    page = _login(client, names[5], DEFAULT_PIN, GUESSER).get_data(as_text=True)
    assert "För många felaktiga försök från den här enheten" in page
    assert _login(client, names[5], DEFAULT_PIN, OWN_TABLET).status_code == 302


def test_successful_logins_on_a_shared_tablet_do_not_throttle_it(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    for _ in range(app.config["LOCKOUT_ADDRESS_ATTEMPTS"] + 2):
        assert _login(client, "anna", DEFAULT_PIN, OWN_TABLET).status_code == 302


def test_the_admin_unlock_lifts_the_lock_at_every_address(
    app: Flask, client: FlaskClient, user_factory, tablet_factory
) -> None:
    user_factory(username="anna")
    _lock(client, "anna")
    _lock(client, "anna", OWN_TABLET)
    admin = tablet_factory("boss", role="admin")
    users_page = admin.get("/admin/users").get_data(as_text=True)
    assert "10.0.0.66" in users_page and "10.0.0.20" in users_page
    with app.app_context():
        anna_id = db.session.scalar(select(User.id).where(User.username == "anna"))
    admin.post(f"/admin/users/{anna_id}/unlock", data={"form_key": "k" * 20}, follow_redirects=True)
    assert _login(client, "anna", DEFAULT_PIN, GUESSER).status_code == 302
    assert _login(client, "anna", DEFAULT_PIN, OWN_TABLET).status_code == 302
    assert "Häv spärr" not in admin.get("/admin/users").get_data(as_text=True)


def test_the_access_log_names_the_address_of_tries_under_a_lock(
    app: Flask, client: FlaskClient, user_factory, tablet_factory
) -> None:
    names = [f"user{n}" for n in range(6)]
    for name in names:
        user_factory(username=name)
    _lock(client, "user0")
    _login(client, "user0", DEFAULT_PIN, GUESSER)
    for name in names[1:]:
        for _ in range(4):
            _login(client, name, WRONG, GUESSER)
    _login(client, "user5", DEFAULT_PIN, GUESSER)
    with app.app_context():
        locked = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "login_locked").order_by(AuditEvent.id)
        ).all()
    assert {e.remote_addr for e in locked} == {"10.0.0.66"}
    assert "spärrtid" in locked[0].detail and "enhet" in locked[-1].detail
    admin = tablet_factory("boss", role="admin")
    log = admin.get("/admin/audit?action=login_locked").get_data(as_text=True)
    assert log.count("<td>10.0.0.66</td>") == len(locked)


def test_tries_at_a_locked_account_do_not_stop_the_shared_tablet(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    """A try under an account's lock is answered unchecked, so it is no guess: a user tapping
    "Logga in" on their own locked account must not lock the tablet for everyone else."""
    user_factory(username="anna")
    user_factory(username="bertil")
    _lock(client, "anna", OWN_TABLET)
    for _ in range(app.config["LOCKOUT_ADDRESS_ATTEMPTS"]):
        page = _login(client, "anna", DEFAULT_PIN, OWN_TABLET).get_data(as_text=True)
        assert "från den här enheten" not in page
        assert "Kontot är spärrat efter för många felaktiga försök" in page
    assert _login(client, "bertil", DEFAULT_PIN, OWN_TABLET).status_code == 302
