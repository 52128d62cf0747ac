"""The condition for ending an incident: nothing outstanding."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..models import Case

# A case is no longer outstanding once it is in RIS and closed, or cancelled with a reason.
DONE_STATUSES = ("closed", "cancelled")


def outstanding_count(incident_id: int) -> int:
    """Cases of an incident that are still on their way to RIS."""
    return int(
        db.session.scalar(
            select(func.count(Case.id)).where(
                Case.incident_id == incident_id, Case.status.not_in(DONE_STATUSES)
            )
        )
        or 0
    )
