"""When a case is late: one rule for the board, the worklist and every page of a case."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..models import Case, utcnow
from ..siteconfig import SiteConfig

# Still waiting for a definitive report: the statuses whose waiting time counts.
WAITING_STATUSES = ("referral_received", "exam_done", "report_preliminary")


def overdue_cutoff(now: datetime, max_wait_minutes: int) -> datetime:
    """A case of the priority that arrived before this moment is late (the board's query)."""
    return now - timedelta(minutes=max_wait_minutes)


def is_overdue(
    status: str, arrived_at: datetime, max_wait_minutes: int, now: datetime | None = None
) -> bool:
    """Still without a definitive report past its priority's longest wait (0: no limit)."""
    return (
        bool(max_wait_minutes)
        and status in WAITING_STATUSES
        and arrived_at < overdue_cutoff(now or utcnow(), max_wait_minutes)
    )


def case_is_overdue(case: Case, config: SiteConfig | None) -> bool:
    """The case's own lateness, for the pages that show one case."""
    if config is None or case.referral is None:
        return False
    return is_overdue(case.status, case.referral.arrived_at, config.max_wait_minutes(case.priority))
