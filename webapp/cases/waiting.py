"""When a case is late: one rule for the board, the worklist and every page of a case."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select

from ..models import Case, ExamRecord, ReservedCode, utcnow
from ..siteconfig import SiteConfig

# Still waiting for a definitive report: the statuses whose waiting time counts.
WAITING_STATUSES = ("referral_received", "exam_done", "report_preliminary")
# No report signed yet (a draft leaves the case at exam_done).
UNSIGNED_STATUSES = ("referral_received", "exam_done")
REPORT_BLANK = "BLU"
DOC_BLANK = "BLD"


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
    """The case's own lateness, for the pages that show one case.

    Once its incident has ended, a case left without a report was waived at the close and is
    worked on in RIS: a mark here would be an alarm nobody can answer.
    """
    if config is None or case.referral is None or case.incident.ended_at is not None:
        return False
    return is_overdue(case.status, case.referral.arrived_at, config.max_wait_minutes(case.priority))


def awaits_report_blank() -> ColumnElement[bool]:
    """A report blank joined to the case whose report no radiologist has signed in the app yet.

    The report is on paper but only a radiologist may type and sign it, so until then the lists
    say who the case waits for.
    """
    joined = (
        select(ReservedCode.id)
        .where(ReservedCode.used_case_id == Case.id, ReservedCode.doc_kind == REPORT_BLANK)
        .exists()
    )
    return joined & Case.status.in_(UNSIGNED_STATUSES)


def waiting_report_blanks(case: Case) -> list[str]:
    """Codes of the report blanks joined to the case that wait for a radiologist to type them."""
    if case.status not in UNSIGNED_STATUSES:
        return []
    # The case page loads the blanks with the case (get_case_or_404's for_page).
    blanks = case.blanks  # type: ignore[attr-defined]
    return [blank.code for blank in blanks if blank.doc_kind == REPORT_BLANK]


def awaits_doc_blank() -> ColumnElement[bool]:
    """A documentation blank joined to the case, not cancelled, whose exam is not typed in.

    The exam was done and documented on paper: shown only by its status ("Remiss mottagen"),
    the case would read as a patient still to examine, and nothing would say the sheet in the
    red tray waits to be typed in.
    """
    # Not correlated with Case: the joined blanks are read once per statement, not per listed
    # case (reserved_code has no index by case, and a restock holds thousands).
    joined = select(ReservedCode.used_case_id).where(
        ReservedCode.doc_kind == DOC_BLANK, ReservedCode.used_case_id.is_not(None)
    )
    typed = select(ExamRecord.id).where(ExamRecord.case_id == Case.id).exists()
    return Case.id.in_(joined) & ~typed & (Case.status != "cancelled")


def waiting_doc_blanks(case: Case) -> list[str]:
    """Codes of the documentation blanks joined to the case whose exam is not typed in yet."""
    if case.status == "cancelled" or case.exam is not None:
        return []
    blanks = case.blanks  # type: ignore[attr-defined]
    return [blank.code for blank in blanks if blank.doc_kind == DOC_BLANK]
