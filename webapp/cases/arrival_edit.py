"""A referral's arrival cannot be edited to after what has already happened to its case.

Every time typed for a case is refused before the arrival (arrival_rule); an arrival moved past
them would leave the same disorder from the other side: an exam before the referral it was done
for, a wait below zero in the follow-up. The times compared are instants (stored in UTC), so an
exam in the second pass of the repeated autumn hour is after an arrival typed in its first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session
from wtforms.validators import ValidationError

from ..arrival_rule import to_minute
from ..extensions import db
from ..i18n import refusal_text
from ..models import (
    CancelNotice,
    Case,
    ExamRecord,
    Report,
    ReportDispatch,
    ReportSignature,
    ReviewerExchange,
    ReviewerLogEntry,
    UrgentCall,
)
from ..models.report import SIGNING_KINDS
from ..refusal import Message
from ..web import local_time_marked
from .errors import CaseError

# A comma, not brackets: a time in the repeated autumn hour carries its offset in brackets.
ARRIVAL_AFTER_EVENT = (
    "Ankomsttiden kan inte ligga efter %(event)s, %(at)s. Kontrollera datum och klockslag."
)

EXAM_START = Message("undersökningens start")
EXAM_END = Message("undersökningens slut")
IMAGES_SENT = Message("bildernas sändning till PACS")
FAX_RECEIVED = Message("mottagandet av det faxade utlåtandet")
REPORT_SIGNED = Message("signeringen av utlåtandet")
ADDENDUM_SIGNED = Message("signeringen av ett tillägg")
REPORT_FAXED = Message("faxningen av utlåtandet till remittenten")
URGENT_CALL = Message("samtalet till remittenten om ett akut fynd")
NOTICE_FAXED = Message("faxningen av makuleringsbeskedet")
RESTORE_CALL = Message("samtalet om den ångrade makuleringen")
CANCELLED = Message("makuleringen")
# The reviewer's log lines that stand for something done (an answer undone was recorded on the
# wrong case: its line is re-kinded, and is no event of this one).
REVIEWER_EVENTS = {
    "fax_sent": Message("faxet till den externa granskaren"),
    "image_route": Message("bildöverföringen till den externa granskaren"),
    "report_received": Message("granskarens faxade svar"),
    "verbal_answer": Message("granskarens samtal till remittenten"),
    "forwarded": Message("vidarefaxningen av granskarens svar"),
}


class ArrivalAfterEvent(CaseError):
    """The arrival typed lies after something already recorded for the case; said beside it."""

    def __init__(self, event: Message, at: datetime) -> None:
        super().__init__(ARRIVAL_AFTER_EVENT, event=event, at=local_time_marked(at))


def _events(
    session: Session | scoped_session[Any], case: Case
) -> Iterator[tuple[Message, datetime | None]]:
    """Every time the case's records say something happened to it; of two at the same minute
    the first named is the one said (a reviewer's verbal answer is also an urgent call)."""
    exam = session.scalar(select(ExamRecord).where(ExamRecord.case_id == case.id))
    if exam is not None:
        yield EXAM_START, exam.started_at
        yield EXAM_END, exam.ended_at
        yield IMAGES_SENT, exam.pacs_sent_at
    report = session.scalar(select(Report).where(Report.case_id == case.id))
    if report is not None:
        yield FAX_RECEIVED, report.fax_received_at
        signatures = session.scalars(
            select(ReportSignature).where(ReportSignature.report_id == report.id)
        )
        for sig in signatures:
            # Keyed from a fax or paper: signed when the paper says, keyed in later.
            label = REPORT_SIGNED if sig.kind in SIGNING_KINDS else ADDENDUM_SIGNED
            yield label, sig.paper_signed_at or sig.signed_at
    entries = session.execute(
        select(ReviewerLogEntry.kind, ReviewerLogEntry.at)
        .join(ReviewerExchange, ReviewerExchange.id == ReviewerLogEntry.exchange_id)
        .where(ReviewerExchange.case_id == case.id)
        .where(ReviewerLogEntry.kind.in_(list(REVIEWER_EVENTS)))
    )
    for kind, at in entries:
        yield REVIEWER_EVENTS[kind], at
    for at in session.scalars(
        select(ReportDispatch.faxed_at).where(ReportDispatch.case_id == case.id)
    ):
        yield REPORT_FAXED, at
    for at in session.scalars(select(UrgentCall.called_at).where(UrgentCall.case_id == case.id)):
        yield URGENT_CALL, at
    for notice in session.scalars(select(CancelNotice).where(CancelNotice.case_id == case.id)):
        yield CANCELLED, notice.cancelled_at
        yield NOTICE_FAXED, notice.faxed_at
        yield RESTORE_CALL, notice.called_at
    yield CANCELLED, case.cancelled_at


def event_before(
    session: Session | scoped_session[Any], case: Case, arrived_at: datetime
) -> tuple[Message, datetime] | None:
    """The earliest event of the case before `arrived_at` (to the minute, as typed), if any."""
    arrival = to_minute(arrived_at)
    earlier = [
        (label, at)
        for label, at in _events(session, case)
        if at is not None and to_minute(at) < arrival
    ]
    return min(earlier, key=lambda found: to_minute(found[1]), default=None)


def arrival_changed(case: Case, arrived_at: Any) -> bool:
    """Whether an edit gives the referral another arrival (to the minute, as typed) than stored."""
    stored = case.referral.arrived_at if case.referral is not None else None
    if not isinstance(arrived_at, datetime) or stored is None:
        return False
    return to_minute(arrived_at) != to_minute(stored)


def refuse_arrival_after_events(
    session: Session | scoped_session[Any], case: Case, arrived_at: Any
) -> None:
    """Refuse an arrival changed to after an event of the case.

    An arrival left as it was is not refused: an exam's start is not held to the arrival when
    typed, so a case may already be out of order, and the rest of its referral stays editable.
    """
    if not arrival_changed(case, arrived_at):
        return
    found = event_before(session, case, arrived_at)
    if found is not None:
        raise ArrivalAfterEvent(*found)


def check_arrival_order(case: Case, field: Any) -> None:
    """A form's validate_arrived_at: the service's rule, said before a write is tried."""
    if field.errors:
        return  # in the future, or not a time: that message alone
    try:
        refuse_arrival_after_events(db.session, case, field.data)
    except ArrivalAfterEvent as exc:
        raise ValidationError(refusal_text(exc)) from exc
