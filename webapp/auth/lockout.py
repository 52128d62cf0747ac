"""Lockout after failed attempts: counted before each check, forgotten after a quiet window.

A count belongs to a username at one client address: whoever guesses at a name from their own
device locks it there only, and its user still logs in from their tablet. A second count per
address, across every username, stops one device from guessing at many accounts. Both are
rows of FailedLogin; the User columns of the earlier per-account count are no longer read.
Beside an address's count, the sites whose accounts it failed at: one laptop may serve several
sites, and an address's lock is shown to and lifted by their admins only (AddressLock).

The address is request.remote_addr as the app already trusts it: waitress's peer address, or
the one hop ProxyFix takes from Caddy behind RESERVRUTIN_BEHIND_PROXY. A header the client
types (X-Forwarded-For without the proxy) never picks whose lock an attempt counts toward.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import FailedLogin


@dataclass(frozen=True)
class Lockout:
    """How many failed attempts lock an account, for how long, and how long an attempt counts."""

    attempts: int
    lock_minutes: int
    window_minutes: int
    # Failed attempts from one address at any usernames that stop the address for a while.
    address_attempts: int = 20
    # Failed attempts at one username from every address that pace it (pace.py).
    account_attempts: int = 15

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Lockout:
        """The site's lockout settings."""
        return cls(
            attempts=int(config["LOCKOUT_ATTEMPTS"]),
            lock_minutes=int(config["LOCKOUT_MINUTES"]),
            window_minutes=int(config["LOCKOUT_WINDOW_MINUTES"]),
            address_attempts=int(config["LOCKOUT_ADDRESS_ATTEMPTS"]),
            account_attempts=int(config["LOCKOUT_ACCOUNT_ATTEMPTS"]),
        )


class Counted(Protocol):
    """What keeps a count of failed attempts: a FailedLogin row (a name at an address, or an
    address)."""

    failed_attempts: int
    last_failed_at: datetime | None
    locked_until: datetime | None


def count_attempt(
    user: Counted, now: datetime, lockout: Lockout, attempts: int | None = None
) -> datetime | None:
    """Count a guess before it is checked; returns the end of a lock in force (then no check).

    Counted before the check so parallel guesses cannot race past the threshold; a success
    clears the count again. A count whose latest attempt is older than the window starts over.
    attempts: the threshold, when not a username's (an address's).
    """
    if user.locked_until is not None and user.locked_until > now:
        # An end further off than a lock lasts: the laptop's clock was set back since it was
        # set, and its user would wait out the hours the clock went back as well.
        user.locked_until = min(user.locked_until, now + timedelta(minutes=lockout.lock_minutes))
        return user.locked_until
    window = timedelta(minutes=lockout.window_minutes)
    if user.last_failed_at is None or now - user.last_failed_at > window:
        user.failed_attempts = 0
    user.failed_attempts += 1
    user.last_failed_at = now
    if user.failed_attempts >= (attempts or lockout.attempts):
        user.locked_until = now + timedelta(minutes=lockout.lock_minutes)
        user.failed_attempts = 0
    return None


# An IPv6 address with its zone fits as it is; anything longer is kept as a digest, so the key
# fits its column. Kept readable otherwise: the admin's users page names where a lock holds.
_ADDRESS_ROOM = 50
_ACCOUNT = "u"


def _address_part(address: str) -> str:
    if len(address) <= _ADDRESS_ROOM:
        return address
    return "#" + hashlib.sha256(address.encode()).hexdigest()[:40]


def account_key(user_id: int, address: str) -> str:
    """The count of a user's account at one client address."""
    return f"{_ACCOUNT}{user_id} {_address_part(address)}"


def address_key(address: str) -> str:
    """The count of one client address, at whatever usernames it tried."""
    return f"a {_address_part(address)}"


_SITES = "s "


def _sites_prefix(address: str) -> str:
    return f"{_SITES}{_address_part(address)} "


def address_site_key(address: str, site_id: int) -> str:
    """The mark that an address's count holds failed attempts at accounts of a site."""
    return f"{_sites_prefix(address)}{site_id}"


def note_site(
    session: Session,
    by_address: FailedLogin,
    address: str,
    site_id: int | None,
    *,
    starts_over: bool,
) -> bool:
    """Mark the site of the account an address's counted attempt was at; whether newly marked.

    The marks decide which sites' admins see the address's lock and may lift it. They carry
    the times of the address's count, so they are forgotten and locked with it; a count that
    starts over (a fresh row, a lock over, every failure taken back) drops the earlier marks,
    as their attempts no longer count. site_id: None for a name no account has.
    """
    prefix = _sites_prefix(address)
    if starts_over:
        session.execute(
            delete(FailedLogin).where(FailedLogin.key.startswith(prefix, autoescape=True))
        )
    marked = False
    if site_id is not None and session.get(FailedLogin, address_site_key(address, site_id)) is None:
        counter(session, address_site_key(address, site_id))
        marked = True
    _mirror(session, by_address, address)
    return marked


def _mirror(session: Session, by_address: FailedLogin, address: str) -> None:
    session.execute(
        update(FailedLogin)
        .where(FailedLogin.key.startswith(_sites_prefix(address), autoescape=True))
        .values(last_failed_at=by_address.last_failed_at, locked_until=by_address.locked_until)
        .execution_options(synchronize_session=False)
    )


def unknown_name_key(username: str, address: str) -> str:
    """The count of an unknown username (as the login normalised it) at one client address.

    An HMAC under the app's secret key: a PIN typed into the username field cannot be read
    back from the row, nor tried against it without the key. Hex digits only, so it never
    looks like an account's or an address's key (those hold a space).
    """
    return hmac.new(
        str(current_app.config["SECRET_KEY"]).encode(),
        f"{username}\x00{address}".encode(),
        hashlib.sha256,
    ).hexdigest()


def forget_over(session: Session, now: datetime, lockout: Lockout) -> None:
    """Delete the counts and locks that are over, so the table holds only live ones."""
    window = timedelta(minutes=lockout.window_minutes)
    session.execute(
        delete(FailedLogin).where(
            FailedLogin.last_failed_at < now - window,
            or_(FailedLogin.locked_until.is_(None), FailedLogin.locked_until <= now),
        )
    )


def counter(session: Session, key: str) -> FailedLogin:
    """The count under a key, made when missing, locked for update."""
    # Inserted unless there, not added: two first tries at one name in parallel (PostgreSQL)
    # must both count, not fail on the key.
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(FailedLogin).values(key=key, failed_attempts=0).on_conflict_do_nothing())
    row = session.scalar(select(FailedLogin).where(FailedLogin.key == key).with_for_update())
    assert row is not None
    return row


def take_back_address_attempt(
    session: Session,
    address: str,
    lockout: Lockout,
    *,
    it_locked: bool,
    marked_site: int | None = None,
) -> None:
    """Uncount a right secret's attempt from its address (counted before the check).

    Else a shared tablet's staff logging in one after another would stop it; it_locked: this
    very attempt set the address's lock, which is then lifted again. marked_site: the site
    this very attempt marked (note_site), unmarked again: a login is no guess at its site.
    """
    row = session.get(FailedLogin, address_key(address), with_for_update=True)
    if row is None:
        return
    if it_locked:
        row.locked_until = None
        row.failed_attempts = lockout.address_attempts - 1
    elif row.failed_attempts > 0:
        row.failed_attempts -= 1
    if marked_site is not None:
        session.execute(
            delete(FailedLogin).where(FailedLogin.key == address_site_key(address, marked_site))
        )
    _mirror(session, row, address)


def clear_attempts(session: Session, user_id: int, address: str | None = None) -> None:
    """Forget a user's failed attempts and lift their locks: at one address (a right secret
    there), or at every address (an admin's unlock, a new PIN)."""
    if address is not None:
        session.execute(delete(FailedLogin).where(FailedLogin.key == account_key(user_id, address)))
        return
    prefix = account_key(user_id, "")
    session.execute(delete(FailedLogin).where(FailedLogin.key.startswith(prefix, autoescape=True)))


@dataclass(frozen=True)
class AddressLock:
    """A lock in force at one client address: on a user's account there, or on the address.

    sites: of an address's lock, the sites whose accounts its count failed at.
    """

    address: str
    until: datetime
    sites: frozenset[int] = frozenset()

    def shown_to(self, site_id: int) -> bool:
        """Whether an admin of the site is told of the lock.

        A name no account has belongs to no site: a lock of unknown names alone stops the
        device at every site's login and tells of no site's accounts, so every admin sees it.
        """
        return not self.sites or site_id in self.sites

    def lifted_by(self, site_id: int) -> bool:
        """Whether an admin of the site may lift the lock: only when its site alone is at stake.

        A lock over two sites' accounts runs out by itself: were either site's admin allowed
        to lift it, an admin could guess at another site's accounts, fail once at their own,
        and lift the lock themselves.
        """
        return self.sites <= {site_id}


def locks_in_force(
    session: Session, user_ids: Iterable[int], now: datetime
) -> dict[int, list[AddressLock]]:
    """The locks in force on these users' accounts, by user, the longest-lasting first."""
    wanted = set(user_ids)
    rows = session.execute(
        select(FailedLogin.key, FailedLogin.locked_until).where(
            FailedLogin.key.startswith(_ACCOUNT), FailedLogin.locked_until > now
        )
    )
    locks: dict[int, list[AddressLock]] = {}
    for key, until in rows:
        user_part, _, address = key[len(_ACCOUNT) :].partition(" ")
        if until is not None and user_part.isdigit() and int(user_part) in wanted:
            locks.setdefault(int(user_part), []).append(AddressLock(address, until))
    for found in locks.values():
        found.sort(key=lambda lock: lock.until, reverse=True)
    return locks


def address_locks(session: Session, now: datetime, site_id: int) -> list[AddressLock]:
    """The locks in force on client addresses (at every username) that an admin of the site is
    told of, the longest-lasting first."""
    rows = session.execute(
        select(FailedLogin.key, FailedLogin.locked_until)
        .where(FailedLogin.key.startswith(address_key("")), FailedLogin.locked_until > now)
        .order_by(FailedLogin.locked_until.desc(), FailedLogin.key)
    )
    sites: dict[str, set[int]] = {}
    for (key,) in session.execute(
        select(FailedLogin.key).where(FailedLogin.key.startswith(_SITES))
    ):
        address, _, site = key[len(_SITES) :].rpartition(" ")
        if site.isdigit():
            sites.setdefault(address, set()).add(int(site))
    locks = (
        AddressLock(address, until, frozenset(sites.get(address, ())))
        for address, until in ((key[len(address_key("")) :], until) for key, until in rows)
        if until is not None
    )
    return [lock for lock in locks if lock.shown_to(site_id)]


def address_lock(session: Session, address: str, now: datetime) -> AddressLock | None:
    """The lock in force on an address (as address_locks names it), locked for update."""
    row = session.get(FailedLogin, address_key(address), with_for_update=True)
    if row is None or row.locked_until is None or row.locked_until <= now:
        return None
    keys = session.scalars(
        select(FailedLogin.key).where(
            FailedLogin.key.startswith(_sites_prefix(address), autoescape=True)
        )
    )
    sites = {int(key.rpartition(" ")[2]) for key in keys if key.rpartition(" ")[2].isdigit()}
    return AddressLock(address, row.locked_until, frozenset(sites))


def lift_address_lock(session: Session, address: str) -> None:
    """Lift the lock of an address, found in force by address_lock.

    Its count goes with it, and its sites: the device starts over with all its tries. The
    locks of the usernames it guessed at stay; each is its user's, lifted on that user's row.
    """
    session.execute(
        delete(FailedLogin).where(
            or_(
                FailedLogin.key == address_key(address),
                FailedLogin.key.startswith(_sites_prefix(address), autoescape=True),
            )
        )
    )


def clock_time(at: datetime) -> str:
    """A lock's end as staff read the clock on the wall."""
    zone = ZoneInfo(current_app.config["TIMEZONE"]) if has_app_context() else UTC
    return at.astimezone(zone).strftime("%H:%M")


def locked_message(until: datetime, now: datetime) -> tuple[str, dict[str, object]]:
    """Tell a locked-out user when the lock lifts by itself, and that an admin can lift it.

    The Swedish text and its values apart, so the view can show it in the user's language.
    """
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return (
        "Kontot är spärrat efter för många felaktiga försök. Försök igen kl. %(time)s "
        "(om %(minutes)s min) eller be en administratör häva spärren.",
        {"time": clock_time(until), "minutes": minutes},
    )


ADDRESS_LOCKED = (
    "För många felaktiga försök från den här enheten. Försök igen kl. %(time)s "
    "(om %(minutes)s min) eller be en administratör häva spärren för enheten."
)


def address_locked_message(until: datetime, now: datetime) -> tuple[str, dict[str, object]]:
    """Tell a device that guessed at too many usernames when it may try again.

    An administrator can lift it (the users page lists the locked addresses): a shared tablet
    in a busy department may have been locked by many people's slips, not by one guesser.
    """
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return ADDRESS_LOCKED, {"time": clock_time(until), "minutes": minutes}
