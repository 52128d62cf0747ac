"""The referrer phoned that a restored case's exam will be done after all.

A cancellation undone after its notice was faxed leaves the referrer believing the exam will
not be done. The call is recorded beside the notices (CancelNotice, kind "called"), and until
it is the case is flagged on the board, the worklist and the catch-up, and holds the
incident's end (restore_call_rule.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..access import CLINICAL
from ..arrival_rule import BEFORE_ARRIVAL, arrival_after, arrival_values
from ..audit import log_event
from ..models import CancelNotice, Case, User
from ..restore_call_rule import needs_restore_call
from ..storage import insert_row
from .errors import CaseError, CaseNotFound, SubmissionConflict
from .submissions import store_once

# Who may cancel and restore may make the call (cases.restore's roles).
CALL_ROLES = CLINICAL
NOTHING_TO_CALL = (
    "Remittenten har inte fått något besked om makulering som gäller nu. Det finns inget "
    "samtal att logga."
)
WRONG_ROLE = "Samtalet till remittenten loggas av den som får makulera ärenden."
NO_PERSON = "Ange vem du pratade med."
NO_TIME = "Ange när samtalet skedde."
CALL_RESENT = "Formuläret har redan skickats med annat innehåll, och samtalet loggades då."


class CallBeforeArrival(CaseError):
    """The call's time lies before the referral arrived: a mistyped date or hour."""


def log_restore_call(
    *,
    case_id: int,
    user: User,
    called_person: str,
    phone_number: str,
    called_at: datetime | None,
    note: str = "",
    form_key: str = "",
    digest: str = "",
    url: str = "",
) -> None:
    """Record that the referrer was phoned that the exam will be done after all.

    Refused unless a faxed notice still waits for its call. A form key already used with the
    same content writes nothing more. Logged after the incident's end too: the referrer still
    waits to hear.
    """
    if user.role not in CALL_ROLES:
        raise CaseError(WRONG_ROLE)
    person = called_person.strip()[:200]
    if not person:
        raise CaseError(NO_PERSON)
    if called_at is None:
        raise CaseError(NO_TIME)

    def write(session: Session) -> None:
        case = session.get(Case, case_id, with_for_update=True)
        if case is None or case.site_id != user.site_id:
            raise CaseNotFound()
        notices = list(
            session.scalars(
                select(CancelNotice)
                .where(CancelNotice.case_id == case.id)
                .order_by(CancelNotice.id)
            )
        )
        if not needs_restore_call(case, notices):
            raise CaseError(NOTHING_TO_CALL)
        arrived = arrival_after(case, called_at)
        if arrived is not None:
            raise CallBeforeArrival(BEFORE_ARRIVAL, **arrival_values(arrived))
        told = [n for n in notices if n.kind == "faxed"][-1]
        insert_row(
            session,
            CancelNotice.__table__,
            {
                "case_id": case.id,
                "kind": "called",
                # The cancellation the faxed notice told of, and the call now answers.
                "cancelled_at": told.cancelled_at,
                "called_person": person,
                "phone_number": phone_number.strip()[:40],
                "called_at": called_at,
                "user_id": user.id,
                "note": note.strip()[:2000],
                "identity_revision": case.identity_revision,
            },
        )
        # UTC, and said so as in the other audit rows.
        log_event("restore_call", user=user, case=case, detail=f"{person} {called_at:%H:%M} UTC")

    try:
        store_once(
            form_key=form_key,
            digest=digest,
            kind="restore_call",
            user_id=user.id,
            write=write,
            url_of=lambda _none: url,
            case_id=case_id,
            # The form autosaves (its note): its draft is done with in the same transaction.
            has_draft=True,
        )
    except SubmissionConflict as exc:
        raise SubmissionConflict(CALL_RESENT, url=exc.url, case_id=exc.case_id) from exc
