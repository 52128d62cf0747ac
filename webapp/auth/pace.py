"""A pace on guesses at one account from many addresses: slowed, never locked.

The locks of lockout.py hold a username at one address, and an address at every username. A
guesser who changes address (a new DHCP lease, another device) starts both afresh. So each
username also has one count across every address: past LOCKOUT_ACCOUNT_ATTEMPTS failures
within the window, the account takes one attempt per PACE_SECONDS from wherever it comes, and
an attempt sooner is answered without its secret being checked. Nothing ever stops the account:
its own user waits seconds, where a lock per account would let anyone lock out an admin.

A pace row is a FailedLogin: failed_attempts the count; last_failed_at the latest attempt let
through to its check (the next one is let through PACE_SECONDS later); locked_until, once the
count reached the threshold, the moment the pace began. That moment is in the past, so the row
is forgotten with the count (forget_over) and never reads as a lock (those are "u" and "a" rows).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import FailedLogin
from .lockout import Lockout, counter

PACE_SECONDS = 10
_PACE = "p"

PACED = (
    "För många felaktiga försök mot kontot från olika enheter: vänta %(seconds)s sekunder och "
    "försök igen."
)
# Of the audit event written once as a pace begins (login_locked): not one per attempt.
PACE_STARTED = "för många felaktiga försök mot kontot från olika enheter: ett försök per %s s"


def pace_key(user_id: int | None, username: str) -> str:
    """The count of a username across every address: an account's by its id; a name no account
    has by a keyed digest, as what was typed may be a PIN (see unknown_name_key)."""
    if user_id is not None:
        return f"{_PACE}{user_id}"
    digest = hmac.new(
        str(current_app.config["SECRET_KEY"]).encode(),
        f"pace\x00{username}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return f"{_PACE}#{digest[:60]}"


def pace_wait(session: Session, key: str, now: datetime, lockout: Lockout) -> int | None:
    """Seconds until a paced account takes its next attempt, or None when it takes this one.

    Read before any count: an attempt turned away here counts nowhere, so a user tapping
    "Logga in" while told to wait never locks their own tablet.
    """
    # Locked (PostgreSQL): of two attempts at a paced name at once, one takes the turn.
    row = session.get(FailedLogin, key, with_for_update=True)
    if row is None or row.locked_until is None or row.last_failed_at is None:
        return None
    if now - row.last_failed_at > timedelta(minutes=lockout.window_minutes):
        return None
    if row.last_failed_at > now:
        # Stamped later than now: the laptop's clock was set back since. This one goes through
        # and stamps now; else the account waited out the hours the clock went back as well.
        return None
    next_at = row.last_failed_at + timedelta(seconds=PACE_SECONDS)
    if next_at <= now:
        return None
    return max(1, math.ceil((next_at - now).total_seconds()))


def count_paced_attempt(session: Session, key: str, now: datetime, lockout: Lockout) -> bool:
    """Count an attempt let through to its check; whether this very attempt began the pace."""
    row = counter(session, key)
    if row.last_failed_at is None or now - row.last_failed_at > timedelta(
        minutes=lockout.window_minutes
    ):
        row.failed_attempts = 0
        row.locked_until = None
    row.failed_attempts += 1
    row.last_failed_at = now
    if row.locked_until is None and row.failed_attempts >= lockout.account_attempts:
        row.locked_until = now
        return True
    return False


def end_pace(session: Session, key: str) -> None:
    """Forget the count across addresses: the account's own user logged in."""
    session.execute(delete(FailedLogin).where(FailedLogin.key == key))


def end_account_pace(session: Session, user_id: int, now: datetime, lockout: Lockout) -> bool:
    """End an account's pace as an admin lifts its locks or sets its PIN; whether one held.

    The guesses it counted were at the secret the admin vouches for or replaces: its user
    must not wait on them afterwards.
    """
    in_force = user_id in paces_in_force(session, [user_id], now, lockout)
    end_pace(session, pace_key(user_id, ""))
    return in_force


@dataclass(frozen=True)
class Pace:
    """An account under a pace, as the admin's users page names it."""

    since: datetime
    failed_attempts: int
    seconds: int = PACE_SECONDS


def paces_in_force(
    session: Session, user_ids: Iterable[int], now: datetime, lockout: Lockout
) -> dict[int, Pace]:
    """The accounts among these users whose attempts are paced now, by user."""
    keys = {f"{_PACE}{user_id}": user_id for user_id in user_ids}
    if not keys:
        return {}
    rows = session.execute(
        select(FailedLogin.key, FailedLogin.locked_until, FailedLogin.failed_attempts).where(
            FailedLogin.key.in_(keys),
            FailedLogin.locked_until.is_not(None),
            FailedLogin.last_failed_at >= now - timedelta(minutes=lockout.window_minutes),
        )
    )
    return {keys[key]: Pace(since, attempts) for key, since, attempts in rows if since is not None}
