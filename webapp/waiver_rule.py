"""Whether a case's waiver waits for a second user's confirmation (four eyes).

With four eyes a waiver given by one person does not reconcile its case: it stands once another
user confirms it (catchup/waiving.py). Until then the case is neither outstanding work to key
nor reconciled; it is a task that holds the incident's close, and the lists say so.

Kept out of the catch-up package, as accession_rule: the closing checks and the worklist read
it without importing the catch-up views.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, select

from .models import Case, CatchupRecord

WAIVER_PENDING = "Undantag väntar på bekräftelse"
# What the closing check and the batch's tasks say: read away from the case.
WAIVER_PENDING_TASK = (
    "Undantag väntar på bekräftelse – någon annan än den som undantog ärendet bekräftar "
    "undantaget i ärendets efterregistrering, eller häver det."
)


def waiver_pending_clause() -> ColumnElement[bool]:
    """A waiver given and not yet standing (no reconciliation), of a case not cancelled;
    correlated with Case."""
    pending = (
        select(CatchupRecord.id)
        .where(
            CatchupRecord.case_id == Case.id,
            CatchupRecord.waived_at.is_not(None),
            CatchupRecord.reconciled_at.is_(None),
        )
        .correlate(Case)
        .exists()
    )
    return and_(Case.status != "cancelled", pending)
