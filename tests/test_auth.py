"""Login, lockout, idle timeout, revocation, setup and create-user."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.auth.lockout import account_key
from webapp.extensions import db
from webapp.models import AuditEvent, FailedLogin, Site, User, UserSession, utcnow

from .clock_support import clock_set_back
from .factories import DEFAULT_PIN


def test_login_with_pin_reaches_start_page(client: FlaskClient, user_factory) -> None:
    user_factory(role="radiographer", username="anna")
    response = client.post("/login", data={"username": "anna", "secret": DEFAULT_PIN})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Hej Testa Radiographer Åström" in page


def test_wrong_pin_is_refused_with_message(client: FlaskClient, user_factory) -> None:
    user_factory(username="anna")
    response = client.post("/login", data={"username": "anna", "secret": "000111"})
    assert response.status_code == 200
    assert "Fel användarnamn eller PIN-kod/lösenord." in response.get_data(as_text=True)
    assert client.get("/incidents/").status_code == 302


def test_production_hash_cost_is_the_rfc9106_low_memory_profile(tmp_path) -> None:
    from webapp import create_app
    from webapp.auth.passwords import hash_secret

    app = create_app({"TESTING": True, "DATA_DIR": tmp_path})
    with app.app_context():
        assert hash_secret("482915").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_pin_is_stored_as_argon2id_hash(app: Flask, user_factory) -> None:
    user_factory(username="anna")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "anna"))
        assert user.secret_hash.startswith("$argon2id$")
        assert DEFAULT_PIN not in user.secret_hash


def test_five_failures_lock_the_account_even_for_the_right_pin(
    client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    for _ in range(5):
        client.post("/login", data={"username": "anna", "secret": "999999"})
    response = client.post("/login", data={"username": "anna", "secret": DEFAULT_PIN})
    assert "spärrat" in response.get_data(as_text=True)
    assert client.get("/incidents/").status_code == 302


def test_lock_expires_after_configured_minutes(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    for _ in range(5):
        client.post("/login", data={"username": "anna", "secret": "999999"})
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "anna"))
        # The lock holds anna at the address that guessed (the test client's).
        count = db.session.get(FailedLogin, account_key(user.id, "127.0.0.1"))
        assert count is not None and count.locked_until is not None
        assert count.locked_until - utcnow() <= timedelta(minutes=5)
        count.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.post("/login", data={"username": "anna", "secret": DEFAULT_PIN})
    assert response.status_code == 302


def test_lockout_holds_under_parallel_attempts(app: Flask, user_factory) -> None:
    user_factory(username="anna")
    results: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        with app.test_client() as c:
            body = c.post("/login", data={"username": "anna", "secret": "999999"})
            with lock:
                results.append(body.get_data(as_text=True))

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context():
        verified = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "login_failed", AuditEvent.detail == "fel PIN/lösenord"
            )
        ).all()
        refused = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "login_locked")
        ).all()
    # Only five guesses were ever checked against the hash; the rest were refused unchecked.
    assert len(verified) == 5
    assert len(refused) == 7
    assert sum("spärrat" in r for r in results) >= 7


def test_logout_revokes_the_session_so_a_copied_cookie_fails(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    cookie = client.get_cookie("reservrutin_session")
    assert cookie is not None
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("reservrutin_session", cookie.value)
    assert thief.get("/incidents/").status_code == 302


def test_logging_in_over_a_live_session_ends_that_session(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    auth.login()
    cookie = client.get_cookie("reservrutin_session")
    assert cookie is not None
    user_factory(username="bo")
    # The next person on the shared tablet logs in without logging the first one out.
    response = client.post("/login", data={"username": "bo", "secret": DEFAULT_PIN})
    assert response.status_code == 302
    copied = app.test_client()
    copied.set_cookie("reservrutin_session", cookie.value)
    assert copied.get("/incidents/").status_code == 302
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert sorted((e.action, e.username) for e in events[-2:]) == [
        ("login", "bo"),
        ("logout", "test-radiographer"),
    ]


def test_idle_session_ends_after_timeout(app: Flask, client: FlaskClient, auth) -> None:
    auth.login()
    assert client.get("/incidents/").status_code == 200
    with app.app_context():
        for us in db.session.scalars(select(UserSession)):
            us.last_seen_at = utcnow() - timedelta(minutes=16)
        db.session.commit()
    response = client.get("/incidents/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    with app.app_context():
        us = db.session.scalar(select(UserSession))
        assert us.revoked_reason == "idle"


def test_background_refresh_does_not_keep_session_alive(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    with app.app_context():
        for us in db.session.scalars(select(UserSession)):
            us.last_seen_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
    client.get("/incidents/", headers={"X-Reservrutin-Background": "1"})
    with app.app_context():
        us = db.session.scalar(select(UserSession))
        assert utcnow() - us.last_seen_at > timedelta(minutes=4)


def test_setup_page_creates_first_admin_and_then_is_gone(client: FlaskClient) -> None:
    assert client.get("/").headers["Location"].endswith("/setup")
    response = client.post(
        "/setup",
        data={
            "display_name": "Åsa Admin",
            "username": "asa",
            "kind": "password",
            "secret": "lång-hemlighet-42",
            "confirm": "lång-hemlighet-42",
        },
    )
    assert response.status_code == 302
    assert client.get("/setup").status_code == 404
    response = client.post(
        "/setup",
        data={
            "display_name": "Eve",
            "username": "eve",
            "kind": "password",
            "secret": "lång-hemlighet-42",
            "confirm": "lång-hemlighet-42",
        },
    )
    assert response.status_code == 404
    login = client.post("/login", data={"username": "asa", "secret": "lång-hemlighet-42"})
    assert login.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("kind", "secret", "message"),
    [
        ("pin", "12345", "PIN-koden ska vara minst 6 siffror."),
        ("pin", "111111", "för lätt att gissa"),
        ("pin", "12ab56", "PIN-koden ska vara minst 6 siffror."),
        ("password", "kort", "Lösenordet ska vara minst 10 tecken."),
    ],
)
def test_setup_refuses_weak_secret_and_keeps_input(
    client: FlaskClient, kind: str, secret: str, message: str
) -> None:
    response = client.post(
        "/setup",
        data={
            "display_name": "Åsa Öberg",
            "username": "asa",
            "kind": kind,
            "secret": secret,
            "confirm": secret,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert 'value="Åsa Öberg"' in page


def test_create_user_command(runner, app: Flask) -> None:
    result = runner.invoke(args=["create-user", "bo", "--role", "radiologist", "--pin", "583920"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "bo"))
        assert user.role == "radiologist"


def test_create_user_command_refuses_short_pin(runner) -> None:
    result = runner.invoke(args=["create-user", "bo", "--role", "radiologist", "--pin", "123"])
    assert result.exit_code == 2
    assert "minst 6 siffror" in result.output


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("", "2–64 tecken"),
        ("b" * 65, "2–64 tecken"),
        ("bo\x00", "bokstäver a–z"),
        ("bo bo", "bokstäver a–z"),
    ],
)
def test_create_user_command_refuses_a_name_the_login_cannot_take(
    runner, app: Flask, username: str, message: str
) -> None:
    # The admin screen refuses these names; the command made accounts nobody could sign in to.
    args = ["create-user", username, "--role", "admin", "--pin", "583920"]
    result = runner.invoke(args=args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.role == "admin")) is None


def test_switch_user_lists_recent_users(client: FlaskClient, auth) -> None:
    auth.login(username="anna")
    client.post("/logout", data={"switch": "1"})
    page = client.get("/login").get_data(as_text=True)
    assert 'data-username="anna"' in page
    assert "Välj vem du är." in page


def test_failed_and_successful_logins_are_audited(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    client.post("/login", data={"username": "anna", "secret": "999999"})
    client.post("/login", data={"username": "anna", "secret": DEFAULT_PIN})
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert "login_failed" in actions
    assert actions[-1] == "login"


@contextmanager
def _writes_held(app: Flask) -> Iterator[None]:
    """Hold back every write transaction as another writer would: SQLite's write lock, or on
    PostgreSQL the lock of the site row that the first administrator's creation takes."""
    from webapp.storage import _sqlite_write_lock

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            with _sqlite_write_lock:
                yield
            return
        with db.engine.connect() as conn, conn.begin():
            conn.execute(select(Site.id).with_for_update())
            yield


def test_two_first_admins_posted_at_once_make_only_one(app: Flask) -> None:
    # Two people at two tablets on a new install: the setup page was open for both.
    results: dict[str, int] = {}

    def post(username: str) -> None:
        response = app.test_client().post(
            "/setup",
            data={
                "display_name": username,
                "username": username,
                "kind": "password",
                "secret": "lång-hemlighet-42",
                "confirm": "lång-hemlighet-42",
            },
        )
        results[username] = response.status_code

    with _writes_held(app):
        # Both pass the page's check that no user exists, then queue for the write.
        threads = [threading.Thread(target=post, args=(name,)) for name in ("asa", "bo")]
        for thread in threads:
            thread.start()
        threading.Event().wait(1.0)
    for thread in threads:
        thread.join(timeout=30)
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 1
    assert sorted(results.values()) == [302, 409]


def test_an_idle_login_ends_after_the_laptops_clock_was_set_back(
    app: Flask, client: FlaskClient, auth
) -> None:
    """Its last activity then reads as later than now: measured from it, it never went idle."""
    auth.login()
    with clock_set_back(hours=1):
        assert client.get("/incidents/").status_code == 200
    with clock_set_back(hours=1 - 16 / 60):
        response = client.get("/incidents/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_board_left_polling_goes_idle_after_the_laptops_clock_was_set_back(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    background = {"X-Reservrutin-Background": "1"}
    with clock_set_back(hours=1):
        assert client.get("/incidents/", headers=background).status_code == 200
    with clock_set_back(hours=1 - 16 / 60):
        response = client.get("/incidents/", headers=background)
    assert response.status_code == 302
