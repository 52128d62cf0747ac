"""The login page answers an unknown username exactly as it answers a wrong PIN of a real one."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select, text

from webapp.auth import login, own_secret
from webapp.auth.lockout import address_key, unknown_name_key
from webapp.auth.pace import pace_key
from webapp.extensions import db
from webapp.models import AuditEvent, User

from .factories import DEFAULT_PIN

WRONG = "999999"
START = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)
_ERROR = re.compile(r'<p class="error"[^>]*>(.*?)</p>', re.S)
_TIME = re.compile(r"\d{1,2}:\d{2}")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    now: Callable[[], datetime] = lambda: clock.now  # noqa: E731
    monkeypatch.setattr(login, "utcnow", now)
    monkeypatch.setattr(own_secret, "utcnow", now)
    return clock


def _error(page: str) -> str:
    found = _ERROR.search(page)
    assert found, page
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def _answers(client: FlaskClient, username: str, clock: Clock, n: int = 8) -> list[str]:
    answers = []
    for _ in range(n):
        response = client.post("/login", data={"username": username, "secret": WRONG})
        assert response.status_code == 200
        answers.append(_error(response.get_data(as_text=True)))
        clock.advance(seconds=20)
    return answers


def test_wrong_pins_for_a_real_and_a_made_up_username_get_the_same_answers(
    app: Flask, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    real = _answers(app.test_client(), "anna", clock)
    clock.now = START
    made_up = _answers(app.test_client(), "bertil", clock)
    assert [_TIME.sub("HH:MM", a) for a in made_up] == [_TIME.sub("HH:MM", a) for a in real]
    # The same times too: a made-up name "locks" exactly as long as a real one.
    assert made_up == real
    assert "spärrat" not in real[3]
    # The fifth try, at 14:01:20 local time, locks for five minutes.
    assert "spärrat" in real[4] and "kl. 14:06" in real[4]
    assert all("spärrat" in a for a in real[5:])


def test_a_wrong_pin_and_an_unknown_username_read_the_same(
    client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    real = client.post("/login", data={"username": "anna", "secret": WRONG})
    made_up = client.post("/login", data={"username": "bertil", "secret": WRONG})
    assert _error(real.get_data(as_text=True)) == _error(made_up.get_data(as_text=True))


def test_a_deactivated_account_answers_wrong_pins_as_an_unknown_name_does(
    app: Flask, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "anna")).is_active = False
        db.session.commit()
    inactive = _answers(app.test_client(), "anna", clock)
    clock.now = START
    made_up = _answers(app.test_client(), "bertil", clock)
    assert inactive == made_up


def test_a_made_up_names_lock_is_its_own_and_lifts_like_a_real_one(
    app: Flask, client: FlaskClient, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    _answers(client, " Bertil ", clock, n=5)
    # Counted per typed name, as the login normalises it; another name is not locked.
    assert "spärrat" in _answers(client, "bertil", clock, n=1)[0]
    assert "spärrat" not in _answers(client, "cesar", clock, n=1)[0]
    assert client.post("/login", data={"username": "anna", "secret": DEFAULT_PIN}).status_code
    clock.advance(minutes=5)
    assert "spärrat" not in _answers(client, "bertil", clock, n=1)[0]


def test_a_made_up_name_creates_no_user_and_is_kept_nowhere_as_typed(
    app: Flask, client: FlaskClient, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    _answers(client, "vinter2026", clock, n=6)
    with app.app_context():
        assert db.session.scalars(select(User.username)).all() == ["anna"]
        connection = db.session.connection()
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                assert "vinter2026" not in " ".join(str(v) for v in row), table
        locked = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "login_locked")
        ).all()
    # Tries during the made-up name's "lock" are in the access log, with no one's name.
    assert locked and all(e.username == "" and e.user_id is None for e in locked)
    assert all("okänt användarnamn" in e.detail for e in locked)


def test_an_unknown_username_costs_a_hash_check_as_a_wrong_pin_does(
    client: FlaskClient, user_factory, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    user_factory(username="anna")
    checks: list[str] = []
    real_verify = login._verify

    def counting(stored: str, secret: str) -> bool:
        checks.append(stored)
        return real_verify(stored, secret)

    monkeypatch.setattr(login, "_verify", counting)
    _answers(client, "anna", clock, n=7)
    real = len(checks)
    checks.clear()
    clock.now = START
    _answers(client, "bertil", clock, n=7)
    # One check per attempt before the lock, none during it: the same for both.
    assert len(checks) == real == 5


def test_the_wrong_current_pin_that_locks_the_account_says_so_then(
    client: FlaskClient, user_factory, clock: Clock
) -> None:
    user_factory(username="anna")
    assert client.post("/login", data={"username": "anna", "secret": DEFAULT_PIN}).status_code
    answers = []
    for _ in range(5):
        response = client.post(
            "/me/secret",
            data={"current": WRONG, "new": "593817", "confirm": "593817", "kind": "pin"},
        )
        assert response.status_code == 400
        answers.append(_error(response.get_data(as_text=True)))
    assert all("spärrat" not in a for a in answers[:4])
    assert "Nuvarande PIN-kod eller lösenord stämmer inte." in answers[4]
    assert "spärrat" in answers[4] and "kl. 14:05" in answers[4]


def test_counts_of_unknown_names_are_deleted_once_over(
    app: Flask, client: FlaskClient, user_factory, clock: Clock
) -> None:
    from webapp.models import FailedLogin

    user_factory(username="anna")
    _answers(client, "bertil", clock, n=5)
    _answers(client, "cesar", clock, n=1)
    clock.advance(minutes=16)
    _answers(client, "david", clock, n=1)
    with app.app_context():
        keys = db.session.scalars(select(FailedLogin.key)).all()
        # david's counts (at the address, across addresses), beside the count of the address
        # all the names were tried from.
        david = unknown_name_key("david", "127.0.0.1")
        expected = [address_key("127.0.0.1"), david, pace_key(None, "david")]
        assert sorted(keys) == sorted(expected)
