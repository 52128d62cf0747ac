"""What the routines share: their errors and the submit-once machinery of their forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from ..cases import submissions
from ..cases.errors import SubmitNotStored
from ..cases.submissions import SubmitResult, find_replay, record_submission
from ..models import Case, Incident, User
from ..refusal import Refused

T = TypeVar("T")


# Its images would leave (or arrive) under a case that no longer stands, naming its patient.
TRANSFER_CASE_CANCELLED = (
    "Ärendet är makulerat. Ange koden för patientens gällande ärende, eller lämna koden tom och "
    "skriv undersökningen och patientens ID."
)
# Cancelled after the transfer was opened: no further try goes out (or comes in) under it.
TRY_CASE_CANCELLED = (
    "Ärendet är makulerat, så inga fler försök loggas under det. Avbryt överföringen med en "
    "anteckning, och öppna en ny med patientens gällande ärende om bilderna ska skickas."
)
# The form and the service say the same: the list of regions may change between the two.
VIA_REGION_UNLISTED = "Välj en grannregion från listan."


class RoutineError(Refused):
    """A routine action that is not allowed; the message is Swedish."""


class FieldRefused(RoutineError):
    """A refusal of what one field holds: the form shows it next to that field (its name)."""

    def __init__(self, field: str, message: str, **values: object) -> None:
        super().__init__(message, **values)
        self.field = field


class AlreadyDone(RoutineError):
    """The act was already done (a second tap): nothing more is recorded, and that is fine."""


def filed_under(case: Case | None, incident: Incident | None) -> int | None:
    """The outage a transfer or release of `case` is filed under, given the tablet's outage."""
    # A case of an earlier outage still open is followed up there (its lists, its close), not
    # under whichever outage the tablet happens to work in now. With no outage open at all,
    # the case's own still says which outage it belongs to.
    if case is not None and (case.incident.is_open or incident is None):
        return case.incident_id
    return incident.id if incident else None


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

    A retry gets the stored result instead, and so does a twin that raced past the check
    (submissions.write_once). Other content under the key is refused (SubmissionConflict).
    """

    def checked(session: Session) -> T | SubmitResult:
        earlier = replay(session, sent)
        return earlier if earlier is not None else write(session)

    try:
        return submissions.write_once(
            sent.key if sent else "", sent.digest if sent else "", checked
        )
    except SubmitNotStored as exc:
        # The routines' views answer their own error with its message.
        raise RoutineError(exc.message, **exc.values) from exc


def logged_once(sent: SentForm | None, write: Callable[[Session], object]) -> bool:
    """write_once for a log form: True when written now, False for a retry or a raced twin."""
    return not isinstance(write_once(sent, write), SubmitResult)
