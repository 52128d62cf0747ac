"""The board's conditions in SQL: which cases are still on their way, late, or waiting for a call.

One place for what the board, its count and the other outage's banner ask alike.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, bindparam, case, false, func, or_, select

from ..call_rule import needs_call_clause
from ..cases.waiting import WAITING_STATUSES
from ..dispatch_rule import needs_fax_clause
from ..models import Case, Referral, ReviewerExchange, ReviewerLogEntry
from ..models.base import UTCDateTime
from ..restore_call_rule import needs_restore_call_clause
from ..reviewer_rule import awaits_reviewer_clause


def needs_call() -> ColumnElement[bool]:
    """An urgent finding whose call to the referrer is not logged: on the board until it is."""
    return needs_call_clause() & (Case.status != "cancelled")


def awaits_forwarding() -> ColumnElement[bool]:
    """The external reviewer's faxed report has no copy to the referrer logged after it.

    The case may be keyed into RIS by then, but the referrer still waits for the answer.
    """
    received = func.max(case((ReviewerLogEntry.kind == "report_received", ReviewerLogEntry.id)))
    forwarded = func.max(case((ReviewerLogEntry.kind == "forwarded", ReviewerLogEntry.id)))
    # Not correlated with Case: run once per statement rather than twice per listed case.
    waiting = (
        select(ReviewerExchange.case_id)
        .join(ReviewerLogEntry, ReviewerLogEntry.exchange_id == ReviewerExchange.id)
        .group_by(ReviewerExchange.case_id)
        .having(received > func.coalesce(forwarded, 0))
    )
    return Case.id.in_(waiting) & (Case.status != "cancelled")


def overdue(deadlines: tuple[tuple[str, int], ...]) -> ColumnElement[bool]:
    """Waiting past its priority's longest wait; each priority's cutoff time is bound per query."""
    if not deadlines:
        return false()
    late = [
        (Case.priority == code)
        & (Referral.arrived_at < bindparam(f"cutoff_{i}", type_=UTCDateTime()))
        for i, (code, _minutes) in enumerate(deadlines)
    ]
    return Case.status.in_(WAITING_STATUSES) & or_(*late)


def on_its_way() -> ColumnElement[bool]:
    return (
        Case.status.not_in(("closed", "cancelled"))
        | needs_call()
        | needs_restore_call_clause()
        | needs_fax_clause()
        | awaits_forwarding()
    )


def still_active() -> ColumnElement[bool]:
    """On the board's active list: on its way to RIS, or keyed and closed while its referrer
    has not been phoned or has not been faxed the signed report (its own or the external
    reviewer's), or waived while the external reviewer's answer is still awaited."""
    return on_its_way() | awaits_reviewer_clause()


def filtered(stmt: Select, modality: bool, status: str) -> Select:  # type: ignore[type-arg]
    stmt = stmt.where(Case.incident_id == bindparam("incident_id"))
    if modality:
        stmt = stmt.where(Case.modality == bindparam("modality"))
    if status == "active":
        # Beside those, still_active's cases awaiting the reviewer and the reconciled cases
        # whose report waits for a signature, both found by board_rows: the first are few, and
        # whether a text differs from the signed one is not a question for SQL.
        stmt = stmt.where(on_its_way() | Case.id.in_(bindparam("held", expanding=True)))
    elif status:
        stmt = stmt.where(Case.status == bindparam("status"))
    return stmt
