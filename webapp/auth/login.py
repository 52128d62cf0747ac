"""Logging in and the session it opens: checking a PIN, finding the session of a cookie on
every request, logging out."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import make_transient_to_detached

from ..audit import log_event
from ..extensions import db
from ..models import Site, User, UserSession, utcnow
from ..storage import write_transaction
from .lockout import (
    Lockout,
    account_key,
    address_key,
    address_locked_message,
    clear_attempts,
    clock_time,
    count_attempt,
    counter,
    forget_over,
    locked_message,
    note_site,
    take_back_address_attempt,
    unknown_name_key,
)
from .pace import (
    PACE_SECONDS,
    PACE_STARTED,
    PACED,
    count_paced_attempt,
    end_pace,
    pace_key,
    pace_wait,
)
from .passwords import _dummy_hash, _hasher, _verify, hash_secret


class AuthError(Exception):
    """A login that did not succeed, with a Swedish message for the user and its values."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.values = values


@dataclass(frozen=True)
class LoginResult:
    user_id: int
    session_token: str
    role: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Whatever was typed as an unknown username is left out: a PIN or a password typed into the
# wrong field fits the username rule as often as not ("vinter2026"), and every site's admin
# sees these events and exports them. The tablet's address is still logged with the event.
UNKNOWN_USERNAME = "okänt användarnamn (visas inte: kan vara en PIN-kod eller ett lösenord)"
UNKNOWN_USERNAME_LOCKED = f"{UNKNOWN_USERNAME}, försök under spärrtid"
ADDRESS_LOCKED_DETAIL = "försök från en enhet under spärrtid (för många felaktiga försök)"
WRONG_SECRET = "Fel användarnamn eller PIN-kod/lösenord."
LOCKED_NOW = (
    "Fel användarnamn eller PIN-kod/lösenord. Kontot är nu spärrat i %(minutes)s min, till kl. "
    "%(time)s. En administratör kan häva spärren."
)


def authenticate(username: str, secret: str, remote_addr: str, *, lockout: Lockout) -> LoginResult:
    """Check a login; counts the attempt before verifying so parallel guesses cannot race.

    An unknown username gets the very answers a real one does, lock and times included, after
    the same work (a hash check, two write transactions): the page must not tell which
    usernames exist. Only the access log tells them apart.
    """
    username = username.strip().lower()
    now = utcnow()
    with write_transaction() as session:
        # FOR UPDATE: on PostgreSQL parallel guesses must queue on the counter (SQLite's
        # BEGIN IMMEDIATE already does).
        user = session.scalar(select(User).where(User.username == username).with_for_update())
        forget_over(session, now, lockout)
        paced = pace_key(user.id if user is not None else None, username)
        wait = pace_wait(session, paced, now, lockout)
        if wait is not None:
            # Answered before anything counts, known name or not: the same words and seconds.
            raise AuthError(PACED, seconds=wait)
        by_address = counter(session, address_key(remote_addr))
        # No failure left in its count (new, its lock over, all taken back): a fresh count.
        starts_over = by_address.failed_attempts == 0
        locked_until = count_attempt(by_address, now, lockout, lockout.address_attempts)
        marked_site = None
        if locked_until is None:
            site_id = user.site_id if user is not None else None
            if note_site(session, by_address, remote_addr, site_id, starts_over=starts_over):
                marked_site = site_id
        # A lock in the future that count_attempt did not answer with was set by this attempt.
        address_locks_now = (
            locked_until is None
            and by_address.locked_until is not None
            and by_address.locked_until > now
        )
        refusal: tuple[str, dict[str, object]] | None = None
        locks_now = None
        if locked_until is not None:
            # The address is stopped whatever name it tries: known or not, the same answer.
            refusal = address_locked_message(locked_until, now)
            if user is None:
                detail = f"{UNKNOWN_USERNAME}, {ADDRESS_LOCKED_DETAIL}"
                log_event("login_locked", detail=detail, anonymous=True)
            else:
                log_event("login_locked", user=user, detail=ADDRESS_LOCKED_DETAIL)
        else:
            counted = counter(
                session,
                account_key(user.id, remote_addr)
                if user is not None
                else unknown_name_key(username, remote_addr),
            )
            locked_until = count_attempt(counted, now, lockout)
            # Set by this very attempt: a wrong secret is told of the lock at once.
            locks_now = counted.locked_until if locked_until is None else None
            if locked_until is not None:
                refusal = locked_message(locked_until, now)
                if user is None:
                    log_event("login_locked", detail=UNKNOWN_USERNAME_LOCKED, anonymous=True)
                else:
                    log_event("login_locked", user=user, detail="försök under spärrtid")
        # Counted across addresses only as it goes on to its check.
        pace_started = refusal is None and count_paced_attempt(session, paced, now, lockout)
        user_id = user.id if user is not None else None
        # A deactivated account is counted like any: it may be activated with the same PIN.
        active = user is not None and user.is_active
        stored_hash = user.secret_hash if user is not None else ""
    if refusal is not None:
        raise AuthError(refusal[0], **refusal[1])
    right = _verify(stored_hash or _dummy_hash(), secret) and bool(stored_hash)
    if not (right and active):
        with write_transaction():
            if user_id is None:
                log_event("login_failed", detail=UNKNOWN_USERNAME, anonymous=True)
            else:
                user = db.session.get(User, user_id)
                assert user is not None
                # Named with the user, so it shows in their site's access log.
                detail = "fel PIN/lösenord" if active else "inaktiverat konto"
                log_event("login_failed", user=user, detail=detail)
            if pace_started:
                # Once as the pace begins: the attempts it turns away are not written one by one.
                started = PACE_STARTED % PACE_SECONDS
                if user_id is None:
                    detail = f"{UNKNOWN_USERNAME}, {started}"
                    log_event("login_locked", detail=detail, anonymous=True)
                else:
                    log_event("login_locked", user=user, detail=started)
        if right:
            # Only whoever knows a deactivated account's PIN learns why it no longer works.
            raise AuthError("Kontot är inaktiverat. Be en administratör att aktivera det.")
        if locks_now is not None and locks_now > now:
            raise AuthError(LOCKED_NOW, minutes=lockout.lock_minutes, time=clock_time(locks_now))
        raise AuthError(WRONG_SECRET)
    assert user_id is not None
    token = secrets.token_urlsafe(32)
    with write_transaction() as session:
        user = session.get(User, user_id)
        assert user is not None
        clear_attempts(session, user.id, remote_addr)
        end_pace(session, paced)
        take_back_address_attempt(
            session, remote_addr, lockout, it_locked=address_locks_now, marked_site=marked_site
        )
        if _hasher().check_needs_rehash(user.secret_hash):
            user.secret_hash = hash_secret(secret)
        session.add(
            UserSession(
                token_hash=_token_hash(token), user_id=user.id, remote_addr=remote_addr[:64]
            )
        )
        log_event("login", user=user)
        role = user.role
    return LoginResult(user_id=user_id, session_token=token, role=role)


# Built once: constructing a joined select with loader options costs more than running it,
# and every request runs this one first.
@dataclass(frozen=True)
class LiveSession:
    """A session that is not revoked, with its user (detached) and its site's version."""

    id: int
    last_seen_at: datetime
    user: User
    site_updated_at: datetime
    # Unique to this login in any database, where the id is not (a restored one counts anew).
    token_hash: str


_USER_COLUMNS = tuple(User.__table__.columns)
_LIVE_SESSION = (
    select(UserSession.id, UserSession.last_seen_at, Site.updated_at, *_USER_COLUMNS)
    .join(User, User.id == UserSession.user_id)
    .join(Site, Site.id == User.site_id)
    .where(UserSession.token_hash == bindparam("token_hash"), UserSession.revoked_at.is_(None))
)


def find_session(token: str) -> LiveSession | None:
    """The live session for a cookie token, or None.

    Every request runs this, so it is one Core query on the request's connection and the user
    is built from its columns as a detached object: loading session, user and site through the
    ORM took a third of a millisecond per request, longer than a small page takes to render.
    """
    token_hash = _token_hash(token)
    row = db.session.connection().execute(_LIVE_SESSION, {"token_hash": token_hash}).first()
    if row is None:
        return None
    values = row._mapping
    user = User(**{column.key: values[column] for column in _USER_COLUMNS})
    make_transient_to_detached(user)
    return LiveSession(
        id=row[0], last_seen_at=row[1], user=user, site_updated_at=row[2], token_hash=token_hash
    )


def ended_session_reason(token: str) -> str | None:
    """Why the login of a cookie token ended (logout, idle, admin, ...), or None if unknown."""
    return db.session.scalar(
        select(UserSession.revoked_reason).where(UserSession.token_hash == _token_hash(token))
    )


def revoke_session(session_id: int, reason: str) -> None:
    """End a session on the server so its cookie no longer works."""
    with write_transaction() as session:
        # Locked (PostgreSQL): a double tap on "Logga ut", or a logout as the idle timeout
        # ends the same login, both found it live and logged it ended twice.
        us = session.get(UserSession, session_id, with_for_update=True)
        if us is None or us.revoked_at is not None:
            return
        us.revoked_at = utcnow()
        us.revoked_reason = reason
        log_event("logout" if reason == "logout" else "session_timeout", user=us.user)


def touch_session(session_id: int, at: datetime) -> None:
    """Record activity on a session (throttled by the caller)."""
    with write_transaction() as session:
        us = session.get(UserSession, session_id)
        if us is not None and us.revoked_at is None:
            us.last_seen_at = at
