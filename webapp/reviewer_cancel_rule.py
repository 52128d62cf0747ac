"""Whether a cancelled case's external reviewer is still to be told that the exam is cancelled.

Cancelling stays allowed while the anonymised referral is with the reviewer (a duplicate sent
there by mistake must go), but the reviewer does not see the app: untold, they read an exam
that will not be done and fax back an answer that can no longer be logged on the case. Told
once per cancellation: a reviewer log line "cancel_told" at or after the case's cancellation
(a case cancelled again, after a restore, needs its own). Holds the incident's close, as the
clean-up in RIS/PACS does: after the end nobody would think of the reviewer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, select

from .extensions import db
from .models import Case, ReviewerExchange, ReviewerLogEntry, User

CANCEL_TOLD = "cancel_told"
# Beside the cancel's reason, as the RIS/PACS clean-up is said there.
REVIEWER_HAS_REFERRAL = (
    "Den anonymiserade remissen är faxad till extern granskare %(time)s och inget svar har "
    "kommit. Makuleras ärendet ska granskaren meddelas att undersökningen inte ska granskas; "
    "ärendet listas tills det är loggat."
)
# What the close and the batch's tasks say, read away from the case.
REVIEWER_NOT_TOLD_TASK = (
    "Ärendet är makulerat men extern granskare, som har remissen, är inte meddelad: meddela "
    "granskaren och logga det på ärendets sida."
)


def reviewer_not_told_clause() -> ColumnElement[bool]:
    """Cancelled while faxed to the reviewer with no answer back, the reviewer not told since;
    correlated with Case."""
    with_reviewer = (
        select(ReviewerExchange.id)
        .join(ReviewerLogEntry, ReviewerLogEntry.exchange_id == ReviewerExchange.id)
        .where(
            ReviewerExchange.case_id == Case.id,
            ReviewerExchange.report_received_at.is_(None),
            ReviewerLogEntry.kind == "fax_sent",
        )
        .correlate(Case)
        .exists()
    )
    told = (
        select(ReviewerLogEntry.id)
        .join(ReviewerExchange, ReviewerLogEntry.exchange_id == ReviewerExchange.id)
        .where(
            ReviewerExchange.case_id == Case.id,
            ReviewerLogEntry.kind == CANCEL_TOLD,
            ReviewerLogEntry.logged_at >= Case.cancelled_at,
        )
        .correlate(Case)
        .exists()
    )
    return and_(Case.status == "cancelled", with_reviewer, ~told)


def reviewer_not_told(case_id: int) -> bool:
    """Whether `reviewer_not_told_clause` holds for the case."""
    found = db.session.scalar(select(Case.id).where(Case.id == case_id, reviewer_not_told_clause()))
    return found is not None


def told_entries(case: Case) -> list[ReviewerLogEntry]:
    """The records of the reviewer told of the case's current cancellation, oldest first."""
    return list(
        db.session.scalars(
            select(ReviewerLogEntry)
            .join(ReviewerExchange, ReviewerLogEntry.exchange_id == ReviewerExchange.id)
            .where(
                ReviewerExchange.case_id == case.id,
                ReviewerLogEntry.kind == CANCEL_TOLD,
                ReviewerLogEntry.logged_at >= case.cancelled_at,
            )
            .order_by(ReviewerLogEntry.id)
        )
    )


def cancellations_told(case_ids: list[int]) -> dict[int, tuple[datetime, str]]:
    """Per cancelled case, when and by whom the reviewer was last told of the cancellation
    that stands (an undone one's record answers nothing)."""
    rows = db.session.execute(
        select(ReviewerExchange.case_id, ReviewerLogEntry.at, User.display_name)
        .join(ReviewerExchange, ReviewerLogEntry.exchange_id == ReviewerExchange.id)
        .join(Case, Case.id == ReviewerExchange.case_id)
        .outerjoin(User, User.id == ReviewerLogEntry.user_id)
        .where(
            ReviewerExchange.case_id.in_(case_ids),
            Case.status == "cancelled",
            ReviewerLogEntry.kind == CANCEL_TOLD,
            ReviewerLogEntry.logged_at >= Case.cancelled_at,
        )
        .order_by(ReviewerLogEntry.id)
    )
    return {r.case_id: (r.at, r.display_name or "") for r in rows}


def cancellations_untold(case_ids: list[int]) -> set[int]:
    """The cases of `case_ids` for which `reviewer_not_told_clause` holds."""
    return set(
        db.session.scalars(select(Case.id).where(Case.id.in_(case_ids), reviewer_not_told_clause()))
    )
