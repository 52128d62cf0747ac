"""Whether a restored case's external reviewer, told of its cancellation, is still to be told
that the exam is back on.

Told of the cancellation (reviewer_cancel_rule), the reviewer put the referral aside; once the
cancellation is undone they must hear that it is to be read after all, or the urgent case waits
for an answer nobody is writing. Answered by a reviewer log line "back_on_told" written after
the "cancel_told" it answers (by id, as restore_call_rule: a clock set back since cannot reorder
them). An answer received since says the reviewer is reading it: nothing to tell. Holds the
incident's close, as the cancellation untold does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import aliased

from .extensions import db
from .models import Case, ReviewerExchange, ReviewerLogEntry, User
from .reviewer_cancel_rule import CANCEL_TOLD

BACK_ON_TOLD = "back_on_told"
# Beside the restore's submit, as the cancel form says the reviewer holds the referral.
TOLD_OF_CANCEL = (
    "Extern granskare meddelades om makuleringen %(time)s. Ångras den ska granskaren meddelas "
    "att undersökningen görs ändå; ärendet listas tills det är loggat."
)
# What the case page, the close and the batch's tasks say.
REVIEWER_BACK_ON_TASK = (
    "Makuleringen är ångrad men extern granskare, som meddelades om den, vet inte att "
    "undersökningen görs ändå: meddela granskaren och logga det på ärendets sida."
)


def _untold_cases() -> Select[int]:
    # Not correlated with Case: run once per statement; reviewer log lines are few.
    told = aliased(ReviewerLogEntry)
    back = aliased(ReviewerLogEntry)
    answered_since = (
        select(back.id)
        .where(back.exchange_id == told.exchange_id, back.kind == BACK_ON_TOLD, back.id > told.id)
        .exists()
    )
    return (
        select(ReviewerExchange.case_id)
        .join(told, told.exchange_id == ReviewerExchange.id)
        .where(
            told.kind == CANCEL_TOLD,
            ReviewerExchange.report_received_at.is_(None),
            ~answered_since,
        )
    )


def back_on_untold_clause() -> ColumnElement[bool]:
    """Not cancelled, its reviewer told of a cancellation since undone and not told back."""
    return Case.id.in_(_untold_cases()) & (Case.status != "cancelled")


def back_on_untold(case_id: int) -> bool:
    """Whether `back_on_untold_clause` holds for the case."""
    found = db.session.scalar(select(Case.id).where(Case.id == case_id, back_on_untold_clause()))
    return found is not None


def back_on_entries(case: Case) -> list[ReviewerLogEntry]:
    """The record of the reviewer told the exam is back on after the last cancellation they
    were told of (none while the case is cancelled)."""
    if case.status == "cancelled":
        return []
    last_told = (
        select(ReviewerLogEntry.id)
        .join(ReviewerExchange, ReviewerLogEntry.exchange_id == ReviewerExchange.id)
        .where(ReviewerExchange.case_id == case.id, ReviewerLogEntry.kind == CANCEL_TOLD)
        .order_by(ReviewerLogEntry.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            select(ReviewerLogEntry)
            .join(ReviewerExchange, ReviewerLogEntry.exchange_id == ReviewerExchange.id)
            .where(
                ReviewerExchange.case_id == case.id,
                ReviewerLogEntry.kind == BACK_ON_TOLD,
                ReviewerLogEntry.id > last_told,
            )
            .order_by(ReviewerLogEntry.id)
        )
    )


def backs_on_told(case_ids: list[int]) -> dict[int, tuple[datetime, str]]:
    """Per case of `case_ids` not cancelled, when and by whom the reviewer was last told the
    exam is back on after the last cancellation they were told of (`back_on_entries`)."""
    last_told = (
        select(
            ReviewerExchange.case_id.label("case_id"),
            func.max(ReviewerLogEntry.id).label("entry_id"),
        )
        .join(ReviewerExchange, ReviewerLogEntry.exchange_id == ReviewerExchange.id)
        .where(ReviewerExchange.case_id.in_(case_ids), ReviewerLogEntry.kind == CANCEL_TOLD)
        .group_by(ReviewerExchange.case_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ReviewerExchange.case_id, ReviewerLogEntry.at, User.display_name)
        .join(ReviewerExchange, ReviewerLogEntry.exchange_id == ReviewerExchange.id)
        .join(Case, Case.id == ReviewerExchange.case_id)
        .join(last_told, last_told.c.case_id == Case.id)
        .outerjoin(User, User.id == ReviewerLogEntry.user_id)
        .where(
            Case.status != "cancelled",
            ReviewerLogEntry.kind == BACK_ON_TOLD,
            ReviewerLogEntry.id > last_told.c.entry_id,
        )
        .order_by(ReviewerLogEntry.id)
    )
    return {r.case_id: (r.at, r.display_name or "") for r in rows}


def backs_on_untold(case_ids: list[int]) -> set[int]:
    """The cases of `case_ids` for which `back_on_untold_clause` holds."""
    return set(
        db.session.scalars(select(Case.id).where(Case.id.in_(case_ids), back_on_untold_clause()))
    )
