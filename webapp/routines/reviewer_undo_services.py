"""Undoing a reviewer's answer recorded on the wrong case (a mistyped case code).

The log stays append-only in what it says: the receipt's lines keep their time, user and
reviewer, re-kinded as undone so that no reader (board, cancel, dispatch, closing, the admin's
queue) counts them as the case's answer, and a line of its own says who undid it and why.

Rule for a copy already faxed on to the referrer: the referrer holds a report about another
patient. The undo then needs a second confirmation that the referrer has been told; its copy's
line is re-kinded as undone too. An answer whose text was entered as the case's report is not
undone here: the report is the radiologist's to correct first. An answer the RIS administrator
already handled sits on the case in RIS: the undo leaves a task to remove it there, which holds
the close until recorded (reviewer_removal_services, reviewer_in_ris).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..models import Report, ReviewerExchange, User, utcnow
from .reviewer_services import add_entry, locked_case
from .services import RoutineError, SentForm, logged_once, remember

# What a receipt's lines become once undone (each fits the log's kind column).
UNDONE_KINDS = {"report_received": "received_undone", "forwarded": "forwarded_undone"}


class NothingToUndo(RoutineError):
    """No answer from the reviewer is recorded on the case."""


NOTHING_TO_UNDO = "Inget mottaget svar är registrerat på ärendet, så det finns inget att ångra."


class ReferrerNotTold(RoutineError):
    """The copy went on to the referrer, and the undo's second confirmation is not ticked."""


REFERRER_NOT_TOLD = (
    "En kopia av svaret har redan faxats till remittenten. Ring remittenten och säg att svaret "
    "inte gäller patienten, kryssa sedan i rutan och ångra igen."
)


class TextEntered(RoutineError):
    """The answer's text is entered as the case's report."""


TEXT_ENTERED = (
    "Granskarens svar är infört som utlåtande på ärendet. En radiolog rättar utlåtandet först; "
    "mottagningen kan inte ångras här."
)


def undo_report_received(
    *,
    case_id: int,
    user: User,
    reason: str,
    referrer_told: bool,
    sent: SentForm | None = None,
) -> bool:
    """Undo every answer recorded on the case; returns False for a retry of the same form."""
    if not reason.strip():
        raise RoutineError("Skriv varför mottagningen ångras.")

    def write(session: Session) -> None:
        case = locked_case(session, case_id, user)
        exchange = session.scalar(
            select(ReviewerExchange).where(ReviewerExchange.case_id == case.id)
        )
        received = [e for e in exchange.entries if e.kind == "report_received"] if exchange else []
        if exchange is None or not received:
            raise NothingToUndo(NOTHING_TO_UNDO)
        faxed_in = session.scalar(
            select(Report.id).where(Report.case_id == case.id, Report.received_by_fax.is_(True))
        )
        if faxed_in is not None:
            raise TextEntered(TEXT_ENTERED)
        forwarded = [e for e in exchange.entries if e.kind == "forwarded"]
        if forwarded and not referrer_told:
            raise ReferrerNotTold(REFERRER_NOT_TOLD)
        # Each answer the administrator handled after it came is entered in RIS: each is a
        # task of its own to take out of RIS (a later answer re-queues the exchange, so an
        # answer that came after the last "done" is not in RIS).
        handled = max((e.id for e in exchange.entries if e.kind == "admin_done"), default=0)
        in_ris = [e for e in received if e.id < handled]
        for entry in received + forwarded:
            entry.kind = UNDONE_KINDS[entry.kind]
        exchange.report_received_at = None
        # Off the RIS administrator's queue either way. Handled there already (answer_in_ris),
        # an answer sits on this case in RIS: no longer "done", it becomes a task to take it
        # out of RIS that holds the close until the admin records it (reviewer_removal_services).
        exchange.queued_for_admin_at = None
        exchange.admin_done_at = None
        exchange.admin_done_by_id = None
        exchange.admin_note = ""
        note = reason.strip() + ("; remittenten informerad" if forwarded else "")
        now = utcnow()
        add_entry(session, exchange, user, "receipt_undone", now, note=note)
        for answer in in_ris:
            due = add_entry(
                session, exchange, user, "ris_removal_due", now, person=answer.person, note=note
            )
            due.refers_to_id = answer.id
        if in_ris:
            note += (
                "; inlagt i RIS, ska tas bort där av RIS-administratören"
                if len(in_ris) == 1
                else f"; {len(in_ris)} svar inlagda i RIS, ska tas bort där av RIS-administratören"
            )
        log_event("reviewer_receipt_undone", user=user, case=case, detail=note)
        remember(session, sent, "reviewer_undo", case.id, user)

    return logged_once(sent, write)
