"""Creating a department's staff at once (admin): all or none, each with a temporary PIN."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit import Actor, log_event
from ..cases.errors import SubmissionConflict
from ..cases.submissions import (
    NOT_SENT,
    RESENT_OTHER,
    SentOnce,
    SubmitResult,
    find_replay,
    store_once,
)
from ..extensions import db
from ..models import ROLES, User
from ..refusal import Refused
from ..role_labels import ROLE_LABELS
from .passwords import hash_secret, validate_secret

PIN_DIGITS = 6
# The kind of the stored form key: its replay says the users exist, never who or with what PIN.
SUBMIT_KIND = "user_create_many"


class UsernamesTaken(Refused):
    """A username of the list was taken by someone else after the preview; nothing was made."""


@dataclass(frozen=True)
class NewPerson:
    """One user to create, as the admin's preview showed it."""

    name: str
    username: str
    role: str


@dataclass(frozen=True)
class CreatedUser:
    """A user just created and the temporary PIN for their slip: held in memory only."""

    name: str
    username: str
    role: str
    pin: str


def temporary_pin() -> str:
    """A random six-digit PIN the login accepts (never 111111 or 123456)."""
    while True:
        pin = f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"
        if validate_secret(pin, "pin") is None:
            return pin


def earlier_result(sent: SentOnce) -> SubmitResult | None:
    """Where this form's first submit led, when its users were made already.

    Read before the list is checked: a second tap would otherwise be told its usernames are
    taken, by the users its own first tap made. Other content under the key: ValueError.
    """
    if not sent.key:
        return None
    try:
        return find_replay(db.session(), sent.key, sent.digest)
    except SubmissionConflict as exc:
        raise ValueError(RESENT_OTHER) from exc


def create_users(
    *, site_id: int, people: Sequence[NewPerson], actor: User, sent: SentOnce = NOT_SENT
) -> list[CreatedUser] | SubmitResult:
    """Create every person with a random temporary PIN, in one transaction, or none of them.

    Each must pick their own PIN at the first login (as a PIN an admin chose). The audit trail
    is create_user's: one user_create event each. Sent again under its form key, nothing is
    made and the stored result comes back (the PINs are gone: only their hashes were kept).
    Raises UsernamesTaken when a username was taken since the preview.
    """
    if any(p.role not in ROLES for p in people):
        raise ValueError("Okänd roll")
    if not people:
        raise ValueError("Inga användare att skapa.")
    pins = [temporary_pin() for _ in people]
    # argon2 is slow by design: hashed before the write lock, which SQLite holds for everyone.
    hashes = [hash_secret(pin) for pin in pins]
    by = Actor.of(actor)

    def write(session: Session) -> list[CreatedUser]:
        wanted = [p.username for p in people]
        taken = session.scalars(select(User.username).where(User.username.in_(wanted))).all()
        if taken:
            raise _taken(sorted(taken))
        for person, secret_hash in zip(people, hashes, strict=True):
            session.add(
                User(
                    site_id=site_id,
                    username=person.username,
                    display_name=person.name,
                    role=person.role,
                    secret_hash=secret_hash,
                    secret_kind="pin",
                    secret_temporary=True,
                )
            )
        session.flush()
        for person in people:
            log_event(
                "user_create",
                user=by,
                detail=f"{person.username} ({ROLE_LABELS[person.role]})",
                site_id=site_id,
            )
        return [
            CreatedUser(p.name, p.username, p.role, pin)
            for p, pin in zip(people, pins, strict=True)
        ]

    try:
        return store_once(
            form_key=sent.key,
            digest=sent.digest,
            kind=SUBMIT_KIND,
            user_id=by.id,
            write=write,
            url_of=lambda _created: sent.url,
        )
    except IntegrityError as exc:
        # Without a form key: another admin made one of the names between check and insert.
        raise _taken([p.username for p in people]) from exc


def _taken(names: Sequence[str]) -> UsernamesTaken:
    return UsernamesTaken(
        "Användarnamnen har tagits sedan förhandsgranskningen: %(names)s. Ingen användare är "
        "skapad; kontrollera listan och bekräfta igen.",
        names=", ".join(names),
    )
