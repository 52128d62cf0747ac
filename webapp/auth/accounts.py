"""User accounts: creating, changing, unlocking and counting users (setup, admin, CLI), and
lifting a client address's lock."""

from __future__ import annotations

import hashlib
import re

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.errors import SubmissionConflict
from ..cases.fields import clean_text
from ..cases.submissions import (
    NOT_SENT,
    RESENT_OTHER,
    SentOnce,
    SubmitResult,
    find_replay,
    record_submission,
)
from ..extensions import db
from ..models import ROLES, Site, User, UserSession, utcnow
from ..refusal import Refused
from ..role_labels import ROLE_LABELS
from ..storage import lock_before_reading, lock_form_key, write_transaction
from ..text_lines import one_line
from .lockout import Lockout, address_lock, clear_attempts, clock_time, lift_address_lock
from .pace import end_account_pace
from .passwords import PIN_PATTERN, _verify, hash_secret, validate_secret


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


def user_count() -> int:
    """Number of users; zero means the one-time setup page is open."""
    return int(db.session.scalar(select(func.count(User.id))) or 0)


USERNAME_TAKEN = "Användarnamnet finns redan."
USERNAME_RULE = (
    "Användarnamnet ska vara 2–64 tecken: bokstäver a–z, siffror, punkt, bindestreck och _."
)
# The rule the forms check, held here too for the command line: a name outside it could not be
# typed at the login page, or would read in the access log as another user's ("аnna", Cyrillic).
USERNAME_PATTERN = re.compile(r"[a-z0-9._-]{2,64}")
# The login page withholds a refused name of this shape (it may be a PIN typed in the wrong
# field): its user would retype it after every slip, so no account is given one.
PIN_LIKE_USERNAME = (
    "Användarnamnet får inte bara vara siffror (sex eller fler): det liknar en PIN-kod."
)


def staff_name(value: str | None) -> str | None:
    """A staff member's name as stored: one line, without what is drawn as nothing.

    The audit log, the access log and a signed report name their user by it: a zero-width
    space or a direction override pasted from a mail or a spreadsheet would make a user no one
    can see, or turn the words after it around; a name of nothing else is no name.
    """
    if not isinstance(value, str):
        return value
    return str(clean_text(one_line(value)))


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
    sent: SentOnce = NOT_SENT,
) -> User:
    """Create a user with a hashed PIN or password.

    temporary: the secret was chosen by someone else (an admin), so its user must pick their
    own at the first login.
    first: the first administrator (the setup page), refused once any user exists: checked
    under the write lock, as two tablets may have had the page open at once.
    sent: the admin's form (its digest without the secret): sent again, it returns the user
    it created rather than refusing the name as taken.
    """
    if role not in ROLES:
        raise ValueError(f"Okänd roll: {role}")
    problem = validate_secret(secret, kind)
    if problem:
        raise ValueError(problem)
    username = username.strip().lower()
    if not USERNAME_PATTERN.fullmatch(username):
        raise ValueError(USERNAME_RULE)
    if PIN_PATTERN.fullmatch(username):
        raise ValueError(PIN_LIKE_USERNAME)
    try:
        with write_transaction() as session:
            if sent.key:
                lock_form_key(session, sent.key)
                if _sent_before(session, sent):
                    return _created_by_that_form(session, username, secret)
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
                display_name=staff_name(display_name) or username,
                role=role,
                secret_hash=hash_secret(secret),
                secret_kind=kind,
                secret_temporary=temporary,
            )
            session.add(user)
            session.flush()
            log_event(
                "user_create",
                user=actor,
                detail=f"{username} ({ROLE_LABELS[role]})",
                site_id=site_id,
            )
            if sent.key:
                record_submission(
                    session,
                    key=sent.key,
                    kind="user_create",
                    digest=sent.digest,
                    url=sent.url,
                    case_id=None,
                    user_id=actor.id if actor is not None else user.id,
                    has_draft=False,
                )
    except IntegrityError as exc:
        # Another admin created the name between the check and the insert (PostgreSQL).
        raise ValueError(USERNAME_TAKEN) from exc
    return user


def username_taken(username: str) -> bool:
    """Whether a user has the username already, as create_user normalises it."""
    wanted = username.strip().lower()
    return db.session.scalar(select(User.id).where(User.username == wanted)) is not None


def _check_secret_sent_again(user_id: int, secret: str) -> None:
    """A form stored without its secret, sent again: refused unless its secret is the one set.

    Checked after the replay's transaction: argon2 is slow by design, and SQLite's write lock
    is the whole database's.
    """
    if not secret:
        return
    stored = db.session.scalar(select(User.secret_hash).where(User.id == user_id))
    if stored is None or not _verify(stored, secret):
        raise ValueError(RESENT_OTHER)


def _sent_before(session: Session, sent: SentOnce) -> bool:
    """Whether this form was stored already; other content under its key is refused."""
    try:
        return find_replay(session, sent.key, sent.digest) is not None
    except SubmissionConflict as exc:
        raise ValueError(RESENT_OTHER) from exc


def _created_by_that_form(session: Session, username: str, secret: str) -> User:
    """The user the form's first submit created, if the secret sent again is theirs too.

    The stored digest leaves the secret out, so it is checked against the user's own hash: the
    form sent back with another PIN typed in is not the one that was stored.
    """
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not _verify(user.secret_hash, secret):
        raise ValueError(RESENT_OTHER)
    return user


def set_language(user_id: int, language: str) -> None:
    """Remember a user's UI language."""
    with write_transaction() as session:
        user = session.get(User, user_id)
        if user is not None:
            user.language = language


USER_NOT_HERE = "Användaren finns inte på den här enheten."
# Of the audit row of an unlock or a new PIN that ended an account's pace (pace.py).
PACE_ENDED = "långsam inloggning avslutad"


def _lockout() -> Lockout:
    return Lockout.from_config(current_app.config)


def unlock_user(user_id: int, actor: User, sent: SentOnce = NOT_SENT) -> None:
    """Lift a lockout (admin); the same form sent again logs no second lift."""

    def write(session: Session) -> None:
        user = session.get(User, user_id)
        if user is None or user.site_id != actor.site_id:
            raise ValueError(USER_NOT_HERE)
        # Every address's lock: the admin lifts the user's, not one device's.
        clear_attempts(session, user.id)
        # And the pace across addresses: "Häv spärr" on a slowed account must not leave it slow.
        paced = end_account_pace(session, user.id, utcnow(), _lockout())
        detail = f"{user.username}, {PACE_ENDED}" if paced else user.username
        log_event("user_unlock", user=actor, detail=detail)

    sent.store(actor.id, "user_unlock", write, ValueError)


class SharedLockError(Refused):
    """An address's lock over the accounts of the admin's site and of another."""


SHARED_LOCK = (
    "Spärren gäller även försök mot konton på en annan enhet och kan inte hävas här. Den går ut "
    "av sig själv kl. %(time)s."
)


def unlock_address(address: str, actor: User, sent: SentOnce = NOT_SENT) -> bool | SubmitResult:
    """Lift a client address's lock (admin); whether one was in force (False: over already).

    A lock over already (run out, or lifted by another admin) logs nothing: nothing was lifted.
    One laptop may serve several sites: a lock of other sites' accounts only is, to this admin,
    no lock (False, as one over: a typed address must not tell of another site's locks), and
    one of this site's and another's is refused (SharedLockError; AddressLock.lifted_by).
    """

    def write(session: Session) -> bool:
        now = utcnow()
        lock = address_lock(session, address, now)
        if lock is None:
            return False
        if not lock.shown_to(actor.site_id):
            return False
        if not lock.lifted_by(actor.site_id):
            raise SharedLockError(SHARED_LOCK, time=clock_time(lock.until))
        lift_address_lock(session, address)
        log_event("address_unlock", user=actor, detail=address)
        return True

    return sent.store(actor.id, "address_unlock", write, ValueError)


def _lock_with_the_admins(session: Session, user_id: int) -> list[int]:
    """Lock a user with their site's active admins; returns the admins, as they are now.

    Whether the last-admin rule applies depends on what the user is now, which another admin
    may be changing (a promotion, a reactivation): the user is locked before that is read, and
    with them every active admin of the site, in one statement in id order. Every edit that
    may take admin rights away locks its rows in that one order, so two admins demoting each
    other at once queue (the second then finds only itself left) rather than each holding one
    row and waiting for the other's. A row waited for is read as its holder left it.

    FOR NO KEY UPDATE (key_share): an edit's audit row refers to its actor, an admin whose row
    another edit may hold; the reference's key-share lock passes a no-key lock, where it would
    wait for a FOR UPDATE while its own edit holds the row that other edit waits for.
    """
    # The site a user belongs to never changes.
    site = select(User.site_id).where(User.id == user_id).scalar_subquery()
    rows = session.execute(
        select(User.id, User.role, User.is_active)
        .where(
            User.site_id == site,
            or_(and_(User.role == "admin", User.is_active.is_(True)), User.id == user_id),
        )
        .order_by(User.id)
        .with_for_update(key_share=True)
    )
    return [row.id for row in rows if row.role == "admin" and row.is_active]


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
    sent: SentOnce = NOT_SENT,
) -> None:
    """Change a user's name, role, active flag and optionally PIN/password (admin).

    base_state: the user_state the edit page showed; when another admin has changed the user
    since, the edit is refused rather than silently undoing that change (a deactivation).
    sent: the admin's form (its digest without the secret); sent again, it changes nothing
    more and is not refused as made on an older state (its own change is the newer one).
    """
    if role not in ROLES:
        raise ValueError(f"Okänd roll: {role}")
    if new_secret:
        problem = validate_secret(new_secret, kind)
        if problem:
            raise ValueError(problem)
    takes_away = role != "admin" or not is_active

    def write(session: Session) -> None:
        admins = _lock_with_the_admins(session, user_id) if takes_away else []
        # An edit that keeps the user an active admin needs no rule: it locks this one row
        # and no other user's, so it closes no circle of waits.
        user = session.get(
            User, user_id, with_for_update={"key_share": True}, populate_existing=True
        )
        if user is None or user.site_id != actor.site_id:
            # As unlock_user: the view's check is one guard, the write refuses too.
            raise ValueError(USER_NOT_HERE)
        if takes_away and user.role == "admin" and user.is_active and set(admins) <= {user.id}:
            raise LastAdminError("Enheten måste ha minst en aktiv administratör. Utse en ny först.")
        if base_state and base_state != user_state(user):
            raise StaleUserError(user_state(user))
        # As create_user stores it: an autocompleted space would read as a change of name.
        shown_name = staff_name(display_name) or user.username
        changes = []
        if user.display_name != shown_name:
            # Both names: paper signed before the change names the user as they were then.
            changes.append(f"namn {user.display_name}→{shown_name}")
        if user.role != role:
            changes.append(f"roll {ROLE_LABELS.get(user.role, user.role)}→{ROLE_LABELS[role]}")
        if user.is_active != is_active:
            changes.append("aktiv" if is_active else "inaktiverad")
        user.display_name = shown_name
        user.role = role
        user.is_active = is_active
        if new_secret:
            user.secret_hash = hash_secret(new_secret)
            user.secret_kind = kind
            user.secret_temporary = True
            # The usual reason for a new PIN is a forgotten one, which often ends in a lockout;
            # the guesses that paced the account were at the old one too.
            clear_attempts(session, user.id)
            changes.append("ny PIN/lösenord")
            if end_account_pace(session, user.id, utcnow(), _lockout()):
                changes.append(PACE_ENDED)
        if not is_active or new_secret:
            for us in session.scalars(
                select(UserSession).where(
                    UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
                )
            ):
                us.revoked_at = utcnow()
                us.revoked_reason = "admin" if is_active else "inactive"
        log_event("user_change", user=actor, detail=f"{user.username}: {', '.join(changes)}")

    if isinstance(sent.store(actor.id, "user_change", write, ValueError), SubmitResult):
        _check_secret_sent_again(user_id, new_secret)
