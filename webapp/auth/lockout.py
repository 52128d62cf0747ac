"""Lockout after failed attempts: counted before each check, forgotten after a quiet window."""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import FailedLogin, User


@dataclass(frozen=True)
class Lockout:
    """How many failed attempts lock an account, for how long, and how long an attempt counts."""

    attempts: int
    lock_minutes: int
    window_minutes: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Lockout:
        """The site's lockout settings."""
        return cls(
            attempts=int(config["LOCKOUT_ATTEMPTS"]),
            lock_minutes=int(config["LOCKOUT_MINUTES"]),
            window_minutes=int(config["LOCKOUT_WINDOW_MINUTES"]),
        )


class Counted(Protocol):
    """What keeps a count of failed attempts: a user, or an unknown username's row."""

    failed_attempts: int
    last_failed_at: datetime | None
    locked_until: datetime | None


def count_attempt(user: Counted, now: datetime, lockout: Lockout) -> datetime | None:
    """Count a guess before it is checked; returns the end of a lock in force (then no check).

    Counted before the check so parallel guesses cannot race past the threshold; a success
    clears the count again. A count whose latest attempt is older than the window starts over.
    """
    if user.locked_until is not None and user.locked_until > now:
        return user.locked_until
    window = timedelta(minutes=lockout.window_minutes)
    if user.last_failed_at is None or now - user.last_failed_at > window:
        user.failed_attempts = 0
    user.failed_attempts += 1
    user.last_failed_at = now
    if user.failed_attempts >= lockout.attempts:
        user.locked_until = now + timedelta(minutes=lockout.lock_minutes)
        user.failed_attempts = 0
    return None


def unknown_name_count(session: Session, username: str, now: datetime, lockout: Lockout) -> Counted:
    """The count of an unknown username (as the login normalised it), locked for update.

    Keyed by an HMAC of the name under the app's secret key: a PIN typed into the username
    field cannot be read back from the row, nor tried against it without the key. Counts and
    locks that are over are deleted on the way, so the table holds only live ones.
    """
    key = hmac.new(
        str(current_app.config["SECRET_KEY"]).encode(), username.encode(), hashlib.sha256
    ).hexdigest()
    window = timedelta(minutes=lockout.window_minutes)
    session.execute(
        delete(FailedLogin).where(
            FailedLogin.last_failed_at < now - window,
            or_(FailedLogin.locked_until.is_(None), FailedLogin.locked_until <= now),
        )
    )
    # Inserted unless there, not added: two first tries at one name in parallel (PostgreSQL)
    # must both count, not fail on the key.
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(FailedLogin).values(key=key, failed_attempts=0).on_conflict_do_nothing())
    row = session.scalar(select(FailedLogin).where(FailedLogin.key == key).with_for_update())
    assert row is not None
    return row


def clear_attempts(user: User) -> None:
    """Forget failed attempts and lift a lock (a right secret, an admin's unlock, a new PIN)."""
    user.failed_attempts = 0
    user.last_failed_at = None
    user.locked_until = None


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
