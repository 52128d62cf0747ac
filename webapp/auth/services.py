"""Users, PINs and sessions: every write of the login flow."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached

from ..audit import log_event
from ..extensions import db
from ..models import ROLES, Site, User, UserSession, utcnow
from ..storage import lock_before_reading, write_transaction
from .lockout import Lockout, clear_attempts, clock_time, count_attempt, locked_message

_hashers: dict[tuple[int, int, int], PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    """argon2id; the cost comes from the config so the test suite can use a cheap profile."""
    config = current_app.config if has_app_context() else {}
    key = (
        int(config.get("ARGON2_TIME_COST", 3)),
        int(config.get("ARGON2_MEMORY_KIB", 65536)),
        int(config.get("ARGON2_PARALLELISM", 4)),
    )
    if key not in _hashers:
        _hashers[key] = PasswordHasher(time_cost=key[0], memory_cost=key[1], parallelism=key[2])
    return _hashers[key]


_dummy_hashes: dict[int, str] = {}


def _dummy_hash() -> str:
    hasher = _hasher()
    if id(hasher) not in _dummy_hashes:
        _dummy_hashes[id(hasher)] = hasher.hash("reservrutin-dummy-secret")
    return _dummy_hashes[id(hasher)]


class AuthError(Exception):
    """A login that did not succeed, with a Swedish message for the user and its values."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.values = values


class SetupDoneError(ValueError):
    """The first administrator was created by someone else while the setup page was open."""


class LastAdminError(ValueError):
    """A change that would leave a site without an active administrator."""


class StaleUserError(ValueError):
    """The edit was made on a page opened before another admin changed the user."""

    def __init__(self, current_state: str) -> None:
        super().__init__("stale user edit")
        self.current_state = current_state


def user_state(user: User) -> str:
    """Names what an admin's edit page shows of a user, for a save to say what it started from."""
    shown = f"{user.display_name}\x1f{user.role}\x1f{user.is_active}"
    return hashlib.sha256(shown.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class LoginResult:
    user_id: int
    session_token: str
    role: str


def hash_secret(secret: str) -> str:
    """Hash a PIN or password with argon2id."""
    return _hasher().hash(secret)


def validate_secret(secret: str, kind: str) -> str | None:
    """Return a Swedish message when a new PIN or password is too weak, else None."""
    if kind == "pin":
        if not secret.isdigit() or len(secret) < 6:
            return "PIN-koden ska vara minst 6 siffror."
        if len(set(secret)) == 1 or secret in "01234567890" or secret in "09876543210":
            return "PIN-koden är för lätt att gissa (t.ex. 111111 eller 123456)."
        return None
    if len(secret) < 10:
        return "Lösenordet ska vara minst 10 tecken."
    return None


def user_count() -> int:
    """Number of users; zero means the one-time setup page is open."""
    return int(db.session.scalar(select(func.count(User.id))) or 0)


USERNAME_TAKEN = "Användarnamnet finns redan."
USERNAME_RULE = (
    "Användarnamnet ska vara 2–64 tecken: bokstäver a–z, siffror, punkt, bindestreck och _."
)
# The rule the forms check, held here too for the command line: a name outside it could not be
# typed at the login page, or would read in the access log as another user's ("аnna", Cyrillic).
_USERNAME = re.compile(r"[a-z0-9._-]{2,64}")


def create_user(
    *,
    site_id: int,
    username: str,
    display_name: str,
    role: str,
    secret: str,
    kind: str = "pin",
    actor: User | None = None,
    temporary: bool = False,
    first: bool = False,
) -> User:
    """Create a user with a hashed PIN or password.

    temporary: the secret was chosen by someone else (an admin), so its user must pick their
    own at the first login.
    first: the first administrator (the setup page), refused once any user exists: checked
    under the write lock, as two tablets may have had the page open at once.
    """
    if role not in ROLES:
        raise ValueError(f"Okänd roll: {role}")
    problem = validate_secret(secret, kind)
    if problem:
        raise ValueError(problem)
    username = username.strip().lower()
    if not _USERNAME.fullmatch(username):
        raise ValueError(USERNAME_RULE)
    try:
        with write_transaction() as session:
            if first:
                # On PostgreSQL two setups under different names would both find no user:
                # the site row's lock makes the second look after the first has committed.
                lock_before_reading(session, Site.__table__, site_id)
                if session.scalar(select(User.id).limit(1)) is not None:
                    raise SetupDoneError("En administratör har redan skapats. Logga in.")
            if session.scalar(select(User).where(User.username == username)):
                raise ValueError(USERNAME_TAKEN)
            user = User(
                site_id=site_id,
                username=username,
                display_name=display_name.strip() or username,
                role=role,
                secret_hash=hash_secret(secret),
                secret_kind=kind,
                secret_temporary=temporary,
            )
            session.add(user)
            session.flush()
            log_event("user_create", user=actor, detail=f"{username} ({role})", site_id=site_id)
    except IntegrityError as exc:
        # Another admin created the name between the check and the insert (PostgreSQL).
        raise ValueError(USERNAME_TAKEN) from exc
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _unknown_username(typed: str) -> str:
    # Digits alone are most often a PIN typed into the username field: never kept in the log.
    if typed.isdigit():
        return "okänt användarnamn (bara siffror, visas inte: kan vara en PIN-kod)"
    # A character no username may hold (a space, !, Å), or a length none has: no one's
    # username, and most often a password typed into the wrong field.
    if not _USERNAME.fullmatch(typed):
        return (
            "okänt användarnamn (tecken som inget användarnamn har, visas inte: kan vara ett "
            "lösenord)"
        )
    return f"okänt användarnamn: {typed}"


def authenticate(username: str, secret: str, remote_addr: str, *, lockout: Lockout) -> LoginResult:
    """Check a login; counts the attempt before verifying so parallel guesses cannot race."""
    username = username.strip().lower()
    now = utcnow()
    locked_until: datetime | None = None
    inactive_hash = ""
    with write_transaction() as session:
        # FOR UPDATE: on PostgreSQL parallel guesses must queue on the counter (SQLite's
        # BEGIN IMMEDIATE already does).
        user = session.scalar(select(User).where(User.username == username).with_for_update())
        if user is None:
            log_event("login_failed", detail=_unknown_username(username), anonymous=True)
            user_id = None
        elif not user.is_active:
            # Named with the user, so it shows in their site's access log.
            log_event("login_failed", user=user, detail="inaktiverat konto")
            user_id = None
            # Counted like any guess: the answer below tells a right PIN from a wrong one, and
            # the account may be activated again with the same PIN.
            if count_attempt(user, now, lockout) is None:
                inactive_hash = user.secret_hash
        else:
            user_id = user.id
            locked_until = count_attempt(user, now, lockout)
            if locked_until is not None:
                log_event("login_locked", user=user, detail="försök under spärrtid")
            stored_hash = user.secret_hash
    if user_id is None:
        # Same work as a real check, so a wrong username is not faster than a wrong PIN. Only
        # whoever knows a deactivated account's PIN learns why it no longer works.
        if _verify(inactive_hash or _dummy_hash(), secret) and inactive_hash:
            raise AuthError("Kontot är inaktiverat. Be en administratör att aktivera det.")
        raise AuthError("Fel användarnamn eller PIN-kod/lösenord.")
    if locked_until is not None:
        text, values = locked_message(locked_until, now)
        raise AuthError(text, **values)
    if not _verify(stored_hash, secret):
        with write_transaction():
            user = db.session.get(User, user_id)
            assert user is not None
            log_event("login_failed", user=user, detail="fel PIN/lösenord")
            locked_until = user.locked_until
        if locked_until is not None and locked_until > now:
            raise AuthError(
                "Fel PIN-kod eller lösenord. Kontot är nu spärrat i %(minutes)s min, till kl. "
                "%(time)s. En administratör kan häva spärren.",
                minutes=lockout.lock_minutes,
                time=clock_time(locked_until),
            )
        raise AuthError("Fel användarnamn eller PIN-kod/lösenord.")
    token = secrets.token_urlsafe(32)
    with write_transaction() as session:
        user = session.get(User, user_id)
        assert user is not None
        clear_attempts(user)
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


def _verify(stored_hash: str, secret: str) -> bool:
    try:
        return _hasher().verify(stored_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# Built once: constructing a joined select with loader options costs more than running it,
# and every request runs this one first.
@dataclass(frozen=True)
class LiveSession:
    """A session that is not revoked, with its user (detached) and its site's version."""

    id: int
    last_seen_at: datetime
    user: User
    site_updated_at: datetime


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
    row = db.session.connection().execute(_LIVE_SESSION, {"token_hash": _token_hash(token)}).first()
    if row is None:
        return None
    values = row._mapping
    user = User(**{column.key: values[column] for column in _USER_COLUMNS})
    make_transient_to_detached(user)
    return LiveSession(id=row[0], last_seen_at=row[1], user=user, site_updated_at=row[2])


def ended_session_reason(token: str) -> str | None:
    """Why the login of a cookie token ended (logout, idle, admin, ...), or None if unknown."""
    return db.session.scalar(
        select(UserSession.revoked_reason).where(UserSession.token_hash == _token_hash(token))
    )


def revoke_session(session_id: int, reason: str) -> None:
    """End a session on the server so its cookie no longer works."""
    with write_transaction() as session:
        us = session.get(UserSession, session_id)
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


def set_language(user_id: int, language: str) -> None:
    """Remember a user's UI language."""
    with write_transaction() as session:
        user = session.get(User, user_id)
        if user is not None:
            user.language = language


def unlock_user(user_id: int, actor: User) -> None:
    """Lift a lockout (admin)."""
    with write_transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            return
        clear_attempts(user)
        log_event("user_unlock", user=actor, detail=user.username)


def update_user(
    user_id: int,
    *,
    display_name: str,
    role: str,
    is_active: bool,
    new_secret: str,
    kind: str,
    actor: User,
    base_state: str = "",
) -> None:
    """Change a user's name, role, active flag and optionally PIN/password (admin).

    base_state: the user_state the edit page showed; when another admin has changed the user
    since, the edit is refused rather than silently undoing that change (a deactivation).
    """
    if role not in ROLES:
        raise ValueError(f"Okänd roll: {role}")
    if new_secret:
        problem = validate_secret(new_secret, kind)
        if problem:
            raise ValueError(problem)
    with write_transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            raise ValueError("Användaren finns inte.")
        if user.role == "admin" and user.is_active and (role != "admin" or not is_active):
            # Every active admin of the site is locked, in one order, so two admins demoting
            # each other at once queue: the second then finds only itself left.
            admins = session.scalars(
                select(User.id)
                .where(
                    User.site_id == user.site_id,
                    User.role == "admin",
                    User.is_active.is_(True),
                )
                .order_by(User.id)
                .with_for_update()
            ).all()
            if set(admins) <= {user.id}:
                raise LastAdminError(
                    "Enheten måste ha minst en aktiv administratör. Utse en ny först."
                )
        # Locked after the admins (an admin's row is among them): one order, no deadlock.
        session.refresh(user, with_for_update=True)
        if base_state and base_state != user_state(user):
            raise StaleUserError(user_state(user))
        changes = []
        if user.display_name != display_name:
            changes.append("namn")
        if user.role != role:
            changes.append(f"roll {user.role}→{role}")
        if user.is_active != is_active:
            changes.append("aktiv" if is_active else "inaktiverad")
        user.display_name = display_name
        user.role = role
        user.is_active = is_active
        if new_secret:
            user.secret_hash = hash_secret(new_secret)
            user.secret_kind = kind
            user.secret_temporary = True
            # The usual reason for a new PIN is a forgotten one, which often ends in a lockout.
            clear_attempts(user)
            changes.append("ny PIN/lösenord")
        if not is_active or new_secret:
            for us in session.scalars(
                select(UserSession).where(
                    UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
                )
            ):
                us.revoked_at = utcnow()
                us.revoked_reason = "admin" if is_active else "inactive"
        log_event("user_change", user=actor, detail=f"{user.username}: {', '.join(changes)}")
