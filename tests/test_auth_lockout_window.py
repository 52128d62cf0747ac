"""Failed attempts count toward a lockout only within a time window; a lock lifts by itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.auth import accounts, login, own_secret
from webapp.config import build_config

from .factories import DEFAULT_PIN

WRONG = "999999"
NEW_PIN = "593817"
# 06:00 in Stockholm (winter time): the lock messages name local clock times.
START = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)


class Clock:
    """The time the lockout rules see; moved by hand instead of sleeping."""

    def __init__(self) -> None:
        self.now = START

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    now: Callable[[], datetime] = lambda: clock.now  # noqa: E731
    monkeypatch.setattr(login, "utcnow", now)
    monkeypatch.setattr(accounts, "utcnow", now)
    monkeypatch.setattr(own_secret, "utcnow", now)
    return clock


def _login(client: FlaskClient, secret: str, username: str = "anna"):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"username": username, "secret": secret})


def _change(client: FlaskClient, current: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/me/secret", data={"current": current, "new": NEW_PIN, "confirm": NEW_PIN, "kind": "pin"}
    )


def test_failed_attempts_from_last_week_do_not_count_today(
    client: FlaskClient, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    for _ in range(4):
        _login(client, WRONG)
    clock.advance(days=7)
    # One more mistype today: the fifth in all, but the first within the window.
    assert "spärrat" not in _login(client, WRONG).get_data(as_text=True)
    assert _login(client, DEFAULT_PIN).status_code == 302


def test_failed_attempts_older_than_the_window_are_forgotten(
    client: FlaskClient, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    for _ in range(4):
        _login(client, WRONG)
    clock.advance(minutes=16)
    for _ in range(4):
        assert "spärrat" not in _login(client, WRONG).get_data(as_text=True)
    assert _login(client, DEFAULT_PIN).status_code == 302


def test_failed_attempts_within_the_window_still_lock(
    client: FlaskClient, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    for _ in range(4):
        _login(client, WRONG)
        clock.advance(minutes=3)
    page = _login(client, WRONG).get_data(as_text=True)
    assert "Kontot är nu spärrat i 5 min" in page
    assert "spärrat" in _login(client, DEFAULT_PIN).get_data(as_text=True)


def test_a_lock_lifts_by_itself_after_its_minutes(
    client: FlaskClient, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    for _ in range(5):
        _login(client, WRONG)
    clock.advance(minutes=4)
    assert "spärrat" in _login(client, DEFAULT_PIN).get_data(as_text=True)
    clock.advance(minutes=1, seconds=1)
    assert _login(client, DEFAULT_PIN).status_code == 302


def test_a_lock_lasts_its_minutes_after_the_laptops_clock_was_set_back(
    client: FlaskClient, user_factory, clock: Clock
) -> None:
    """Its end then reads as an hour away: its user would wait that hour, mid-outage."""
    user_factory(username="anna")
    for _ in range(5):
        _login(client, WRONG)
    clock.advance(hours=-1)
    assert "(om 5 min)" in _login(client, DEFAULT_PIN).get_data(as_text=True)
    clock.advance(minutes=5, seconds=1)
    assert _login(client, DEFAULT_PIN).status_code == 302


def test_the_lock_message_says_when_to_try_again_and_whom_to_ask(
    client: FlaskClient, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    for _ in range(4):
        _login(client, WRONG)
    page = _login(client, WRONG).get_data(as_text=True)
    assert "kl. 06:05" in page
    clock.advance(minutes=2)
    page = _login(client, DEFAULT_PIN).get_data(as_text=True)
    assert "Försök igen kl. 06:05 (om 3 min)" in page
    assert "administratör" in page


def test_wrong_current_pins_on_the_change_page_are_forgotten_after_the_window(
    client: FlaskClient, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    assert _login(client, DEFAULT_PIN).status_code == 302
    for _ in range(4):
        _change(client, WRONG)
    clock.advance(minutes=16)
    assert "spärrat" not in _change(client, WRONG).get_data(as_text=True)
    assert _change(client, DEFAULT_PIN).status_code == 302


def test_the_window_is_a_setting_beside_the_threshold(
    app: Flask, client: FlaskClient, user_factory, clock: Clock
) -> None:
    app.config["LOCKOUT_WINDOW_MINUTES"] = 60
    user_factory(username="anna")
    for _ in range(4):
        _login(client, WRONG)
    clock.advance(minutes=30)
    assert "spärrat" in _login(client, WRONG).get_data(as_text=True)


def test_the_window_comes_from_the_environment(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert build_config(tmp_path)["LOCKOUT_WINDOW_MINUTES"] == 15
    monkeypatch.setenv("RESERVRUTIN_LOCKOUT_WINDOW", "30")
    assert build_config(tmp_path)["LOCKOUT_WINDOW_MINUTES"] == 30


def test_the_lock_message_is_in_english_for_an_english_tablet(
    client: FlaskClient, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    client.post("/language", data={"lang": "en"})
    for _ in range(5):
        _login(client, WRONG)
    page = _login(client, DEFAULT_PIN).get_data(as_text=True)
    assert "Try again at 06:05 (in 5 min)" in page
