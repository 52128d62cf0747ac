"""Counting a check of a secret before it is made, and taking it back when it was right.

A login and the change-PIN page's check of the current secret count at the same places in
the same order: the account's pace across addresses, the address (every username), the
account (or an unknown name) at the address. One sequence, so the two cannot drift apart and
a tablet left logged in is no cheaper place to guess than /login.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..audit import log_event
from ..models import User
from .lockout import (
    Lockout,
    account_key,
    address_key,
    address_locked_message,
    clear_attempts,
    count_attempt,
    counter,
    forget_over,
    locked_message,
    note_site,
    take_back_address_attempt,
    unknown_name_key,
)
from .pace import PACED, count_paced_attempt, end_pace, pace_key, pace_wait


@dataclass(frozen=True)
class Attempt:
    """A check of a secret as counted before it is made, and what the count set."""

    # The pace key the attempt counted under (ended again by a right secret).
    paced: str
    # Told instead of the check: the account is paced or locked, or the address is.
    refusal: tuple[str, dict[str, object]] | None = None
    # Of a paced account, the seconds to its next attempt: then nothing was counted.
    wait: int | None = None
    # The end of a lock of the account at this address that this very attempt set.
    locks_now: datetime | None = None
    pace_started: bool = False
    # The address's lock set by this attempt, and the site it marked (lockout.note_site).
    address_locks_now: bool = False
    marked_site: int | None = None


def count_check(
    session: Session,
    user: User | None,
    username: str,
    remote_addr: str,
    now: datetime,
    lockout: Lockout,
    *,
    address_locked_detail: str,
    account_locked_detail: str,
) -> Attempt:
    """Count a check of a secret at the account's pace, at the address and at the account (or
    the unknown name) at the address; a refusal, when one holds, is answered without a check.

    user: None for a name no account has, counted under its name and logged without a user.
    A try under the account's lock at the address is answered unchecked and counts nowhere.
    The details are of the login_locked audit row a lock of the address or of the account
    writes: the callers word them. A paced attempt counts nowhere and writes no row.
    """
    forget_over(session, now, lockout)
    paced = pace_key(user.id if user is not None else None, username)
    wait = pace_wait(session, paced, now, lockout)
    if wait is not None:
        # Answered before anything counts, known name or not: the same words and seconds.
        return Attempt(paced, refusal=(PACED, {"seconds": wait}), wait=wait)
    by_address = counter(session, address_key(remote_addr))
    # No failure left in its count (new, its lock over, all taken back): a fresh count.
    starts_over = by_address.failed_attempts == 0
    locked_until = count_attempt(by_address, now, lockout, lockout.address_attempts)
    if locked_until is not None:
        # The address is stopped whatever name it tries: known or not, the same answer.
        _log_locked(user, address_locked_detail)
        return Attempt(paced, refusal=address_locked_message(locked_until, now))
    site_id = user.site_id if user is not None else None
    marked_site = None
    if note_site(session, by_address, remote_addr, site_id, starts_over=starts_over):
        marked_site = site_id
    # A lock in the future that count_attempt did not answer with was set by this attempt.
    address_locks_now = by_address.locked_until is not None and by_address.locked_until > now
    counted = counter(
        session,
        account_key(user.id, remote_addr)
        if user is not None
        else unknown_name_key(username, remote_addr),
    )
    locked_until = count_attempt(counted, now, lockout)
    if locked_until is not None:
        # Answered unchecked, so no guess: uncounted at the address again, or a user tapping
        # on their own locked account would stop the shared tablet for everyone.
        take_back_address_attempt(
            session, remote_addr, lockout, it_locked=address_locks_now, marked_site=marked_site
        )
        # Returned, not raised: the caller commits, so the attempt stays in the access log.
        _log_locked(user, account_locked_detail)
        return Attempt(paced, refusal=locked_message(locked_until, now))
    return Attempt(
        paced,
        # Set by this very attempt: a wrong secret is told of the lock at once.
        locks_now=counted.locked_until,
        # Counted across addresses only as it goes on to its check.
        pace_started=count_paced_attempt(session, paced, now, lockout),
        address_locks_now=address_locks_now,
        marked_site=marked_site,
    )


def _log_locked(user: User | None, detail: str) -> None:
    if user is None:
        log_event("login_locked", detail=detail, anonymous=True)
    else:
        log_event("login_locked", user=user, detail=detail)


def take_back_address(
    session: Session, remote_addr: str, lockout: Lockout, attempt: Attempt
) -> None:
    """Uncount a right secret's attempt from its address (lockout.take_back_address_attempt)."""
    take_back_address_attempt(
        session,
        remote_addr,
        lockout,
        it_locked=attempt.address_locks_now,
        marked_site=attempt.marked_site,
    )


def take_back(
    session: Session, user_id: int, remote_addr: str, lockout: Lockout, attempt: Attempt
) -> None:
    """Uncount a right secret's attempt: its user knows it, so the pace across addresses ends
    too, as does the count of the account at the address."""
    clear_attempts(session, user_id, remote_addr)
    end_pace(session, attempt.paced)
    take_back_address(session, remote_addr, lockout, attempt)
