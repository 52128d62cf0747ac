"""Guesses at one account from many addresses are paced: past a count across every address,
one attempt at the account per few seconds, from anywhere, and none checked in between.
Its own user is slowed, never locked out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.admin import user_views
from webapp.auth import login
from webapp.config import build_config
from webapp.extensions import db
from webapp.models import AuditEvent

from .factories import DEFAULT_PIN

WRONG = "999999"
# 06:00 in Stockholm (winter time).
START = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
PACED = "För många felaktiga försök mot kontot från olika enheter"


class Clock:
    """The time the login and the users page see; moved by hand instead of sleeping."""

    def __init__(self) -> None:
        self.now = START

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    now: Callable[[], datetime] = lambda: clock.now  # noqa: E731
    monkeypatch.setattr(login, "utcnow", now)
    monkeypatch.setattr(user_views, "utcnow", now)
    return clock


def _login(client: FlaskClient, username: str, secret: str, address: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/login",
        data={"username": username, "secret": secret},
        environ_base={"REMOTE_ADDR": address},
    )


def _guess_from_many_addresses(client: FlaskClient, username: str) -> None:
    """Fifteen wrong PINs, three from each of five addresses: under every per-address lock."""
    for device in range(5):
        for _ in range(3):
            page = _login(client, username, WRONG, f"10.0.1.{device}").get_data(as_text=True)
            assert "spärrat" not in page


def _checked_secrets(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).where(AuditEvent.action.in_(("login_failed", "login")))
        )


def test_guesses_from_a_new_address_wait_for_the_pace_unchecked(
    app: Flask, client: FlaskClient, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    _guess_from_many_addresses(client, "anna")
    checked = _checked_secrets(app)
    page = _login(client, "anna", WRONG, "10.0.9.9").get_data(as_text=True)
    assert f"{PACED}: vänta 10 sekunder och försök igen." in page
    # Never tried: no failed login written, as after a check.
    assert _checked_secrets(app) == checked
    clock.advance(seconds=10)
    page = _login(client, "anna", WRONG, "10.0.9.8").get_data(as_text=True)
    assert "Fel användarnamn eller PIN-kod/lösenord." in page
    assert _checked_secrets(app) == checked + 1
    clock.advance(seconds=3)
    page = _login(client, "anna", WRONG, "10.0.9.7").get_data(as_text=True)
    assert f"{PACED}: vänta 7 sekunder" in page


def test_the_right_pin_within_the_pace_waits_and_then_logs_in(
    client: FlaskClient, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    _guess_from_many_addresses(client, "anna")
    own_tablet = "10.0.0.20"
    # Tapped again and again while told to wait: never counted toward a lock of the tablet.
    for _ in range(8):
        assert PACED in _login(client, "anna", DEFAULT_PIN, own_tablet).get_data(as_text=True)
    clock.advance(seconds=10)
    assert _login(client, "anna", DEFAULT_PIN, own_tablet).status_code == 302
    # The right PIN ended the pace: the next mistype is checked at once.
    page = _login(client, "anna", WRONG, "10.0.9.9").get_data(as_text=True)
    assert "Fel användarnamn eller PIN-kod/lösenord." in page


def test_an_unknown_username_is_paced_alike(
    client: FlaskClient, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    _guess_from_many_addresses(client, "anna")
    _guess_from_many_addresses(client, "bertil")
    known = _login(client, "anna", WRONG, "10.0.9.9").get_data(as_text=True)
    unknown = _login(client, "bertil", WRONG, "10.0.9.9").get_data(as_text=True)
    assert f"{PACED}: vänta 10 sekunder och försök igen." in known
    assert f"{PACED}: vänta 10 sekunder och försök igen." in unknown
    clock.advance(seconds=10)
    assert "Fel användarnamn" in _login(client, "bertil", WRONG, "10.0.9.9").get_data(as_text=True)


def test_a_quiet_window_ends_the_pace(client: FlaskClient, user_factory, clock: Clock) -> None:
    user_factory(username="anna")
    _guess_from_many_addresses(client, "anna")
    clock.advance(minutes=16)
    page = _login(client, "anna", WRONG, "10.0.9.9").get_data(as_text=True)
    assert "Fel användarnamn eller PIN-kod/lösenord." in page
    assert "Fel användarnamn" in _login(client, "anna", WRONG, "10.0.9.8").get_data(as_text=True)


def test_the_admin_sees_the_paced_account_and_its_start_is_audited_once(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, clock: Clock
) -> None:
    admin = tablet_factory("boss", role="admin")
    user_factory(username="anna", display_name="Anna Andersson")
    _guess_from_many_addresses(client, "anna")
    for _ in range(3):
        clock.advance(seconds=10)
        _login(client, "anna", WRONG, "10.0.9.9")
        # Turned away: neither counted nor written.
        _login(client, "anna", WRONG, "10.0.9.8")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "Långsam inloggning sedan 2026-12-02 06:00: 18 felaktiga försök" in page
    with app.app_context():
        started = db.session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.action == "login_locked", AuditEvent.username == "anna"
            )
        ).all()
    assert len(started) == 1 and "olika enheter" in started[0]


def test_the_account_threshold_is_a_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_config(tmp_path)["LOCKOUT_ACCOUNT_ATTEMPTS"] == 15
    monkeypatch.setenv("RESERVRUTIN_LOCKOUT_ACCOUNT_ATTEMPTS", "30")
    assert build_config(tmp_path)["LOCKOUT_ACCOUNT_ATTEMPTS"] == 30


def test_the_pace_waits_no_longer_after_the_laptops_clock_was_set_back(
    client: FlaskClient, user_factory, clock: Clock
) -> None:
    """Counted from the later stamp, the wait would last the hour the clock went back."""
    user_factory(username="anna")
    _guess_from_many_addresses(client, "anna")
    clock.advance(hours=-1)
    assert _login(client, "anna", DEFAULT_PIN, "10.0.0.20").status_code == 302
