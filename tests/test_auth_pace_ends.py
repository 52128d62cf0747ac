"""What ends the pace of an account guessed at from many addresses, and the change-PIN page's
check of the current PIN as one more place to guess it: counted, paced and locked as a login."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.admin import user_views
from webapp.auth import accounts, login, own_secret
from webapp.auth.lockout import Lockout, locks_in_force
from webapp.auth.pace import paces_in_force
from webapp.extensions import db
from webapp.models import AuditEvent, User

from .factories import DEFAULT_PIN

WRONG = "999999"
NEW_PIN = "593817"
START = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
PACED = "För många felaktiga försök mot kontot från olika enheter"


class Clock:
    def __init__(self) -> None:
        self.now = START

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    now: Callable[[], datetime] = lambda: clock.now  # noqa: E731
    for module in (login, user_views, accounts, own_secret):
        monkeypatch.setattr(module, "utcnow", now)
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
            _login(client, username, WRONG, f"10.0.1.{device}")


def _change(client: FlaskClient, current: str, address: str = "127.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(
        "/me/secret",
        data={"current": current, "new": NEW_PIN, "confirm": NEW_PIN, "kind": "pin"},
        environ_base={"REMOTE_ADDR": address},
    )


def _paced(app: Flask, user_id: int, now: datetime) -> bool:
    with app.app_context():
        lockout = Lockout.from_config(app.config)
        return user_id in paces_in_force(db.session(), [user_id], now, lockout)


def _details(app: Flask, action: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == action))
        )


def _secret_hash(app: Flask, user_id: int) -> str:
    with app.app_context():
        return db.session.scalar(select(User.secret_hash).where(User.id == user_id)) or ""


def test_the_admins_unlock_ends_the_pace_and_says_so_in_its_audit_row(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, clock: Clock
) -> None:
    anna = user_factory(username="anna")
    admin = tablet_factory("boss", role="admin")
    _guess_from_many_addresses(client, "anna")
    assert _paced(app, anna.id, clock.now)
    # Paced only, locked nowhere: the admin is still offered the lift.
    page = admin.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{anna.id}/unlock" in page
    response = admin.post(
        f"/admin/users/{anna.id}/unlock", data={"form_key": "k" * 20}, follow_redirects=True
    )
    assert "Spärren är hävd." in html.unescape(response.get_data(as_text=True))
    assert not _paced(app, anna.id, clock.now)
    assert _details(app, "user_unlock") == ["anna, långsam inloggning avslutad"]
    page = _login(client, "anna", WRONG, "10.0.9.9").get_data(as_text=True)
    assert "Fel användarnamn eller PIN-kod/lösenord." in page


def test_an_unlock_of_an_unpaced_account_names_the_user_alone(
    app: Flask, user_factory, tablet_factory
) -> None:
    anna = user_factory(username="anna")
    admin = tablet_factory("boss", role="admin")
    admin.post(f"/admin/users/{anna.id}/unlock", data={"form_key": "k" * 20})
    assert _details(app, "user_unlock") == ["anna"]


def test_a_new_pin_set_by_the_admin_ends_the_pace_and_the_locks(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, clock: Clock
) -> None:
    anna = user_factory(username="anna")
    admin = tablet_factory("boss", role="admin")
    # Locked at one address first: once paced, the attempts there would not be counted.
    for _ in range(5):
        _login(client, "anna", WRONG, "10.0.2.1")
    _guess_from_many_addresses(client, "anna")
    assert _paced(app, anna.id, clock.now)
    with app.app_context():
        assert anna.id in locks_in_force(db.session(), [anna.id], clock.now)
    response = admin.post(
        f"/admin/users/{anna.id}",
        data={
            "display_name": "Anna",
            "role": "radiographer",
            "is_active": "y",
            "secret": NEW_PIN,
            "kind": "pin",
            "form_key": "n" * 20,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert not _paced(app, anna.id, clock.now)
    with app.app_context():
        assert anna.id not in locks_in_force(db.session(), [anna.id], clock.now)
    assert _login(client, "anna", NEW_PIN, "10.0.9.9").status_code == 302


def test_wrong_current_pins_on_the_change_page_pace_the_account(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, clock: Clock
) -> None:
    anna = user_factory(username="anna")
    tablet = tablet_factory("anna")
    # Three from each of five addresses: under the lock of the account at any one of them.
    for device in range(5):
        for _ in range(3):
            page = _change(tablet, WRONG, f"10.0.3.{device}").get_data(as_text=True)
            assert "stämmer inte" in page
    assert _paced(app, anna.id, clock.now)
    page = _login(client, "anna", DEFAULT_PIN, "10.0.9.9").get_data(as_text=True)
    assert f"{PACED}: vänta 10 sekunder och försök igen." in page
    # Written once as the pace begins, as a login's.
    assert sum("olika enheter" in d for d in _details(app, "login_locked")) == 1


def test_the_change_page_refuses_a_paced_account_beside_the_field_unchecked(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, clock: Clock
) -> None:
    anna = user_factory(username="anna")
    tablet = tablet_factory("anna")
    _guess_from_many_addresses(client, "anna")
    before = _secret_hash(app, anna.id)
    failed = len(_details(app, "secret_change_failed"))
    # The right current PIN too: nothing is checked while the account waits.
    response = _change(tablet, DEFAULT_PIN, "10.0.9.9")
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert f"{PACED}: vänta 10 sekunder och försök igen." in page
    assert 'id="current-error"' in page
    assert _secret_hash(app, anna.id) == before
    assert len(_details(app, "secret_change_failed")) == failed
    clock.advance(seconds=10)
    assert _change(tablet, DEFAULT_PIN, "10.0.9.9").status_code == 302
    assert _login(client, "anna", NEW_PIN, "10.0.9.8").status_code == 302


def test_wrong_current_pins_count_toward_the_lock_of_the_address(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, clock: Clock
) -> None:
    user_factory(username="bertil")
    tablet = tablet_factory("anna")
    shared = "10.0.4.4"
    # Nineteen failures at other names from the shared tablet, each name once.
    for n in range(19):
        _login(client, f"namn{n}", WRONG, shared)
    _change(tablet, WRONG, shared)
    page = html.unescape(_login(client, "bertil", DEFAULT_PIN, shared).get_data(as_text=True))
    assert "För många felaktiga försök från den här enheten." in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(AuditEvent.action == "login")) == 1
