"""Whether a case's urgent finding still waits for its call to the referrer.

Apart from the reporting package, which the board, the worklist and the closing checks would
otherwise pull in with all its views.

One rule, in Python for a loaded case and in SQL for lists: an urgent report needs a logged
call; an urgent addendum (a new finding after signing) needs a call logged after it was signed,
since an earlier call was about something else. A cancelled case is the caller's to leave out.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, select

from .models import Addendum, Case, Report, UrgentCall


def needs_call(report: Report | None, calls: Sequence[UrgentCall]) -> bool:
    """The report's or an addendum's urgent finding has no call logged for it."""
    if report is None:
        return False
    if report.is_urgent and not calls:
        return True
    return any(
        a.is_urgent and not any(c.logged_at >= a.signed_at for c in calls) for a in report.addenda
    )


def needs_call_clause() -> ColumnElement[bool]:
    """needs_call() in SQL, correlated with Case."""
    # Correlated with Case only: the lists that use it join the report themselves.
    urgent_report = (
        select(Report.id)
        .where(Report.case_id == Case.id, Report.is_urgent.is_(True))
        .correlate(Case)
        .exists()
    )
    called = select(UrgentCall.id).where(UrgentCall.case_id == Case.id).correlate(Case).exists()
    return (urgent_report & ~called) | Case.id.in_(_uncalled_addendum_cases())


def _uncalled_addendum_cases() -> Select[int]:
    # Not correlated with Case: SQLite runs it once per statement, not once per listed case,
    # and urgent addenda are few (the board lists 500 cases on every refresh).
    called_after = (
        select(UrgentCall.id)
        .where(UrgentCall.case_id == Report.case_id, UrgentCall.logged_at >= Addendum.signed_at)
        .exists()
    )
    return (
        select(Report.case_id)
        .join(Addendum, Addendum.report_id == Report.id)
        .where(Addendum.is_urgent.is_(True), ~called_after)
    )


def has_urgent_finding(report: Report | None) -> bool:
    """The report or one of its addenda is marked as an urgent finding."""
    return report is not None and (report.is_urgent or any(a.is_urgent for a in report.addenda))
