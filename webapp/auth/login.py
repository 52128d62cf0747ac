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
from .attempts import count_check, take_back
from .lockout import Lockout, clock_time
from .pace import PACE_SECONDS, PACE_STARTED, PACED
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
        attempt = count_check(
            session,
            user,
            username,
            remote_addr,
            now,
            lockout,
            address_locked_detail=ADDRESS_LOCKED_DETAIL
            if user is not None
            else f"{UNKNOWN_USERNAME}, {ADDRESS_LOCKED_DETAIL}",
            account_locked_detail="försök under spärrtid"
            if user is not None
            else UNKNOWN_USERNAME_LOCKED,
        )
        if attempt.wait is not None:
            # Raised inside the transaction: nothing counted, so nothing is written.
            raise AuthError(PACED, seconds=attempt.wait)
        user_id = user.id if user is not None else None
        # A deactivated account is counted like any: it may be activated with the same PIN.
        active = user is not None and user.is_active
        stored_hash = user.secret_hash if user is not None else ""
    if attempt.refusal is not None:
        raise AuthError(attempt.refusal[0], **attempt.refusal[1])
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
            if attempt.pace_started:
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
        locks_now = attempt.locks_now
        if locks_now is not None and locks_now > now:
            raise AuthError(LOCKED_NOW, minutes=lockout.lock_minutes, time=clock_time(locks_now))
        raise AuthError(WRONG_SECRET)
    assert user_id is not None
    token = secrets.token_urlsafe(32)
    with write_transaction() as session:
        user = session.get(User, user_id)
        assert user is not None
        take_back(session, user.id, remote_addr, lockout, attempt)
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
