"""A user changes their own PIN or password.

A PIN an admin chose is known to two people, and every report, signature and access-log row
is attributed by it. So a user can replace it whenever they like, and must at the first login
after an admin set it (the secret is then marked temporary).
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.submissions import NOT_SENT, SentOnce, record_submission
from ..extensions import db
from ..models import Submission, User, UserSession, utcnow
from ..storage import write_transaction
from .attempts import count_check, take_back, take_back_address
from .lockout import Lockout, clear_attempts, clock_time
from .login import ADDRESS_LOCKED_DETAIL
from .pace import PACE_SECONDS, PACE_STARTED, end_pace, pace_key
from .passwords import _verify, hash_secret, validate_secret


class SecretChangeError(ValueError):
    """A refused change, with the form field it belongs next to and a Swedish message."""

    def __init__(self, field: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.field = field
        self.values = values


SECRET_CHANGED = (
    "Din PIN-kod eller ditt lösenord ändrades nyss, på en annan enhet eller av en "
    "administratör. Ange den som gäller nu."
)


def _unchanged_user(session: Session, user_id: int, checked_hash: str) -> User:
    """The user, locked, if the secret that was checked is still theirs and they are active.

    The check of the current secret (argon2, slow by design) runs outside the write lock; the
    row is locked and read again here, so a change of the secret on another device, or an
    admin's reset or deactivation, made since the check is seen before anything is written.
    """
    user = session.scalar(select(User).where(User.id == user_id).with_for_update())
    if user is None or not user.is_active:
        raise SecretChangeError("current", "Användaren finns inte.")
    if user.secret_hash != checked_hash:
        raise SecretChangeError("current", SECRET_CHANGED)
    return user


def change_own_secret(
    user_id: int,
    session_id: int,
    *,
    current: str,
    new: str,
    kind: str,
    lockout: Lockout,
    remote_addr: str,
    sent: SentOnce = NOT_SENT,
) -> int:
    """Replace a user's secret after checking the current one; returns other sessions ended.

    A wrong current secret counts toward the login lockout and the account's pace: a tablet
    left logged in must not become a place to guess its user's PIN without limit. Counted at
    remote_addr, as a login there would be (attempts.count_check).

    sent: the form (its digest without the secrets). Sent again after it changed the secret,
    its "current" no longer matches: when this user stored that form and its new secret is
    the one that holds now, the change is answered as made (0 sessions ended).
    """
    problem = validate_secret(new, kind)
    if problem:
        raise SecretChangeError("new", problem)
    now = utcnow()
    with write_transaction() as session:
        user = session.scalar(select(User).where(User.id == user_id).with_for_update())
        if user is None or not user.is_active:
            raise SecretChangeError("current", "Användaren finns inte.")
        # Where a login's would count: a tablet left logged in is one more place to guess its
        # user's PIN, and must not guess without limit nor past the pace a login is held to.
        counted = count_check(
            session,
            user,
            user.username,
            remote_addr,
            now,
            lockout,
            address_locked_detail=f"byte av PIN, {ADDRESS_LOCKED_DETAIL}",
            account_locked_detail="byte av PIN under spärrtid",
        )
        stored_hash = user.secret_hash
    if counted.refusal is not None:
        raise SecretChangeError("current", counted.refusal[0], **counted.refusal[1])
    if not _verify(stored_hash, current):
        if _stored_by(user_id, sent) and _verify(stored_hash, new):
            # Counted above like any try, taken back as the change itself cleared it.
            with write_transaction() as session:
                _unchanged_user(session, user_id, stored_hash)
                take_back(session, user_id, remote_addr, lockout, counted)
            return 0
        with write_transaction() as session:
            user = session.get(User, user_id)
            assert user is not None
            log_event("secret_change_failed", user=user, detail="fel nuvarande PIN/lösenord")
            if counted.pace_started:
                # Once as the pace begins, as a login's (login.py).
                log_event("login_locked", user=user, detail=PACE_STARTED % PACE_SECONDS)
        if counted.locks_now is not None and counted.locks_now > now:
            raise SecretChangeError(
                "current",
                "Nuvarande PIN-kod eller lösenord stämmer inte. Kontot är nu spärrat i "
                "%(minutes)s min, till kl. %(time)s. En administratör kan häva spärren.",
                minutes=lockout.lock_minutes,
                time=clock_time(counted.locks_now),
            )
        raise SecretChangeError("current", "Nuvarande PIN-kod eller lösenord stämmer inte.")
    if new == current:
        with write_transaction() as session:
            _unchanged_user(session, user_id, stored_hash)
            take_back(session, user_id, remote_addr, lockout, counted)
        raise SecretChangeError("new", "Välj en annan än den du har nu.")
    # Hashed before the write lock is taken: SQLite's is the whole database's.
    new_hash = hash_secret(new)
    with write_transaction() as session:
        user = _unchanged_user(session, user_id, stored_hash)
        user.secret_hash = new_hash
        user.secret_kind = kind
        user.secret_temporary = False
        # A new secret makes every guess at the old one moot, wherever it was typed.
        clear_attempts(session, user_id)
        end_pace(session, pace_key(user_id, ""))
        take_back_address(session, remote_addr, lockout, counted)
        # Whoever knew the old secret and is logged in with it elsewhere is logged out.
        others = session.scalars(
            select(UserSession).where(
                UserSession.user_id == user_id,
                UserSession.revoked_at.is_(None),
                UserSession.id != session_id,
            )
        ).all()
        for other in others:
            other.revoked_at = now
            other.revoked_reason = "secret_change"
        detail = f"{len(others)} andra inloggningar avslutade" if others else ""
        log_event("secret_change", user=user, detail=detail)
        # Once per key: the form sent back with the current secret typed anew is a change
        # of its own, stored under the first one's key already.
        if sent.key and not session.scalar(select(exists().where(Submission.key == sent.key))):
            record_submission(
                session,
                key=sent.key,
                kind="secret_change",
                digest=sent.digest,
                url=sent.url,
                case_id=None,
                user_id=user_id,
                has_draft=False,
            )
    return len(others)


def _stored_by(user_id: int, sent: SentOnce) -> bool:
    """Whether this user's change through this very form (same key and digest) is stored."""
    if not sent.key:
        return False
    found = db.session.execute(
        select(Submission.user_id, Submission.payload_hash).where(Submission.key == sent.key)
    ).first()
    return found is not None and found.user_id == user_id and found.payload_hash == sent.digest
