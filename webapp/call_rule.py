"""Whether a case's urgent finding still waits for its call to the referrer.

Apart from the reporting package, which the board, the worklist and the closing checks would
otherwise pull in with all its views.

One rule, in Python for a loaded case and in SQL for lists: an urgent report needs a logged
call; an urgent addendum (a new finding after signing) needs a call made after it was signed,
since an earlier call was about something else. "Made" is the call's own time, to the minute,
as the printed sheet places it: a call logged after the addendum from a form opened before it
(its time filled in then) told the referrer only of the first finding. A cancelled case is the
caller's to leave out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, DateTime, Select, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from .models import Addendum, Case, Report, UrgentCall


class _Minute(FunctionElement[datetime]):
    """A timestamp cut to its minute (the call's time is typed to the minute)."""

    type = DateTime()
    inherit_cache = True


@compiles(_Minute, "sqlite")
def _minute_sqlite(element: _Minute, compiler: Any, **kw: Any) -> str:
    # Stored as text: "2026-01-15 02:12:00" sorts before "2026-01-15 02:12:00.000000".
    return f"strftime('%Y-%m-%d %H:%M:00', {compiler.process(element.clauses, **kw)})"


@compiles(_Minute, "postgresql")
def _minute_postgresql(element: _Minute, compiler: Any, **kw: Any) -> str:
    return f"date_trunc('minute', {compiler.process(element.clauses, **kw)})"


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


def call_answers_addendum(call: UrgentCall, addendum: Addendum) -> bool:
    """The call was made in or after the minute the addendum was signed."""
    return call.called_at >= _minute(addendum.signed_at)


def called_after_addendum() -> ColumnElement[bool]:
    """call_answers_addendum() in SQL, for UrgentCall and Addendum as the query has them."""
    return UrgentCall.called_at >= _Minute(Addendum.signed_at)


def needs_call(report: Report | None, calls: Sequence[UrgentCall]) -> bool:
    """The report's or an addendum's urgent finding has no call logged for it."""
    if report is None:
        return False
    if report.is_urgent and not calls:
        return True
    return any(
        a.is_urgent and not any(call_answers_addendum(c, a) for c in calls) for a in report.addenda
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
        .where(UrgentCall.case_id == Report.case_id, called_after_addendum())
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
