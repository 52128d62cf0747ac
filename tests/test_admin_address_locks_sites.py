"""A device lock between sites served by one laptop: shown to, and lifted by, the admins of the
sites whose accounts the device failed at; a device that tried only unknown names is every
admin's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.auth.lockout import address_key
from webapp.extensions import db
from webapp.models import AuditEvent, FailedLogin

from .factories import DEFAULT_PIN, second_site

WRONG = "999999"
ADDRESS = "10.0.0.66"
TABLET = {"REMOTE_ADDR": ADDRESS}
LIFT = "/admin/users/address-unlock"


@pytest.fixture
def lby(app: Flask) -> int:
    return second_site(app)


def _login(client: FlaskClient, username: str, secret: str = WRONG):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"username": username, "secret": secret}, environ_base=TABLET)


def _guess(client: FlaskClient, names: list[str]) -> None:
    """Wrong tries spread over the names until the device is stopped (20 by default).

    Tries at an account locked at the device are not counted at it (answered unchecked): four
    names or more, five tries each, make the device's twenty."""
    assert len(names) >= 4
    for n in range(20):
        _login(client, names[n % len(names)])
    assert "från den här enheten" in _login(client, names[0]).get_data(as_text=True)


def _admins(
    user_factory: Callable[..., Any], tablet_factory: Callable[..., FlaskClient], lby: int
) -> tuple[FlaskClient, FlaskClient]:
    """The example site's admin and Lillby's."""
    user_factory(role="admin", username="lby-boss", site_id=lby)
    return tablet_factory("boss", role="admin"), tablet_factory("lby-boss", role="admin")


def _accounts(user_factory: Callable[..., Any], lby: int) -> tuple[list[str], list[str]]:
    """Five accounts of the example site and five of Lillby."""
    here = [user_factory(username=f"exs{n}").username for n in range(5)]
    there = [user_factory(username=f"lby{n}", site_id=lby).username for n in range(5)]
    return here, there


def _lift(admin: FlaskClient):  # type: ignore[no-untyped-def]
    return admin.post(LIFT, data={"address": ADDRESS, "form_key": "k" * 20})


def _lifts(app: Flask) -> list[tuple[str, int | None, str]]:
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "address_unlock")
        ).all()
        return [(e.username, e.site_id, e.detail) for e in events]


def _still_locked(app: Flask) -> bool:
    with app.app_context():
        row = db.session.get(FailedLogin, address_key(ADDRESS))
        return row is not None and row.locked_until is not None


def test_another_sites_admin_does_not_see_a_device_that_guessed_at_this_sites_accounts(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, lby: int
) -> None:
    here, _ = _accounts(user_factory, lby)
    boss, lby_boss = _admins(user_factory, tablet_factory, lby)
    _guess(client, here)
    assert ADDRESS in boss.get("/admin/users").get_data(as_text=True)
    page = lby_boss.get("/admin/users").get_data(as_text=True)
    assert "Spärrade enheter" not in page and ADDRESS not in page


def test_another_sites_admin_cannot_lift_it_and_nothing_is_logged(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, lby: int
) -> None:
    here, _ = _accounts(user_factory, lby)
    _, lby_boss = _admins(user_factory, tablet_factory, lby)
    _guess(client, here)
    answer = _lift(lby_boss)
    assert _still_locked(app)
    assert _lifts(app) == []
    # Answered as an address locked nowhere: a typed address tells no other site's locks.
    free = lby_boss.post(LIFT, data={"address": "10.0.0.99", "form_key": "f" * 20})
    assert answer.status_code == free.status_code == 302
    said = lby_boss.get("/admin/users").get_data(as_text=True)
    assert "Enheten var inte spärrad längre." in said


def test_the_sites_own_admin_lifts_it_in_their_sites_access_log(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, lby: int
) -> None:
    _, there = _accounts(user_factory, lby)
    _, lby_boss = _admins(user_factory, tablet_factory, lby)
    _guess(client, there)
    assert ADDRESS in lby_boss.get("/admin/users").get_data(as_text=True)
    assert _lift(lby_boss).status_code == 302
    assert not _still_locked(app)
    assert _lifts(app) == [("lby-boss", lby, ADDRESS)]
    assert _login(client, "lby0", DEFAULT_PIN).status_code == 302


def test_a_device_that_guessed_at_both_sites_is_shown_to_both_and_lifted_by_neither(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, lby: int
) -> None:
    """Else an admin could guess at another site's accounts, fail once at their own, and lift
    the lock themselves."""
    here, there = _accounts(user_factory, lby)
    boss, lby_boss = _admins(user_factory, tablet_factory, lby)
    _guess(client, here + there)
    for admin in (boss, lby_boss):
        page = admin.get("/admin/users").get_data(as_text=True)
        assert ADDRESS in page and "även försök mot konton på en annan enhet" in page
        assert 'value="10.0.0.66"' not in page
        answer = _lift(admin)
        assert answer.status_code == 403
        assert "även försök mot konton på en annan enhet" in answer.get_data(as_text=True)
    assert _still_locked(app)
    assert _lifts(app) == []


def test_a_device_that_tried_only_unknown_names_is_every_admins(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, lby: int
) -> None:
    """No site's account was at stake, and the device is stopped at every site's login."""
    boss, lby_boss = _admins(user_factory, tablet_factory, lby)
    _guess(client, ["nobody", "noone", "niemand", "ingen"])
    assert ADDRESS in boss.get("/admin/users").get_data(as_text=True)
    assert ADDRESS in lby_boss.get("/admin/users").get_data(as_text=True)
    assert _lift(lby_boss).status_code == 302
    assert _lifts(app) == [("lby-boss", lby, ADDRESS)]


def test_unknown_names_beside_one_sites_accounts_keep_the_lock_that_sites(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, lby: int
) -> None:
    _, there = _accounts(user_factory, lby)
    boss, lby_boss = _admins(user_factory, tablet_factory, lby)
    _guess(client, ["nobody", "noone", there[0], there[1]])
    assert ADDRESS not in boss.get("/admin/users").get_data(as_text=True)
    # Each admin's page has a key of its own.
    by_boss = boss.post(LIFT, data={"address": ADDRESS, "form_key": "b" * 20})
    assert by_boss.status_code == 302 and _still_locked(app)
    assert _lift(lby_boss).status_code == 302 and not _still_locked(app)


def test_a_former_count_of_the_device_does_not_follow_it_into_a_new_one(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, lby: int
) -> None:
    """The sites of a lock are those of the tries that made it: after a lift, a fresh count."""
    here, there = _accounts(user_factory, lby)
    boss, lby_boss = _admins(user_factory, tablet_factory, lby)
    _guess(client, here)
    assert _lift(boss).status_code == 302
    _guess(client, there)
    assert ADDRESS not in boss.get("/admin/users").get_data(as_text=True)
    assert _lift(lby_boss).status_code == 302


def test_a_right_pin_on_the_shared_tablet_does_not_make_its_site_a_party_to_the_lock(
    app: Flask, client: FlaskClient, user_factory, tablet_factory, lby: int
) -> None:
    here, there = _accounts(user_factory, lby)
    boss, _ = _admins(user_factory, tablet_factory, lby)
    _login(client, here[0])
    assert _login(client, there[0], DEFAULT_PIN).status_code == 302
    _guess(client, here)
    assert _lift(boss).status_code == 302
