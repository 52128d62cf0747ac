"""What the routines share: their errors and the submit-once machinery of their forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..cases.submissions import SubmitResult, find_replay, record_submission
from ..models import User
from ..storage import write_transaction

T = TypeVar("T")


class RoutineError(ValueError):
    """A routine action that is not allowed; the message is Swedish."""


class AlreadyDone(RoutineError):
    """The act was already done (a second tap): nothing more is recorded, and that is fine."""


@dataclass(frozen=True)
class SentForm:
    """A routine form's one-time key, what was sent and where it led.

    A retried or double-tapped submit (same key, same content) then writes nothing more, and
    the form's autosaved draft is done with in the same transaction as the record.
    """

    key: str = ""
    digest: str = ""
    url: str = ""


def replay(session: Session, sent: SentForm | None) -> SubmitResult | None:
    """The result of this form if it was already stored (a retry); other content is refused."""
    if sent is None or not sent.key:
        return None
    return find_replay(session, sent.key, sent.digest)


def remember(
    session: Session, sent: SentForm | None, kind: str, case_id: int | None, user: User
) -> None:
    if sent and sent.key:
        record_submission(
            session,
            key=sent.key,
            kind=kind,
            digest=sent.digest,
            url=sent.url,
            case_id=case_id,
            user_id=user.id,
        )


def write_once(sent: SentForm | None, write: Callable[[Session], T]) -> T | SubmitResult:
    """Run a form's writes as one transaction, unless the form was stored before.

    A retry gets the stored result instead, and so does a twin that raced past the check: on
    PostgreSQL two taps at the same moment both find no stored key, and the second fails on
    the unique key once the first commits. Other content under the key is refused as a retry
    would be (SubmissionConflict).
    """
    try:
        with write_transaction() as session:
            earlier = replay(session, sent)
            if earlier is not None:
                return earlier
            return write(session)
    except IntegrityError as exc:
        if sent is None or not sent.key:
            raise
        with write_transaction() as session:
            earlier = replay(session, sent)
        if earlier is None:
            raise RoutineError("Formuläret kunde inte sparas. Försök igen.") from exc
        return earlier


def logged_once(sent: SentForm | None, write: Callable[[Session], object]) -> bool:
    """write_once for a log form: True when written now, False for a retry or a raced twin."""
    return not isinstance(write_once(sent, write), SubmitResult)
