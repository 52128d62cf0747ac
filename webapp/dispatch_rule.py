"""Whether a case's signed report has been faxed to the referrer.

Apart from the reporting package, which the board, the worklist and the closing checks would
otherwise pull in with all its views.

One rule, in Python for a loaded case and in SQL for lists: a signature made in the app
(preliminary, definitive or an addendum) that no logged dispatch covers needs faxing. A report
that arrived by fax from elsewhere carries no such signature: its copy to the referrer is logged
in the external-reviewer routine.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select

from .models import Case, Report, ReportDispatch, ReportSignature


@dataclass(frozen=True)
class DispatchStatus:
    """What the case page and the reporting screen say about faxing the report."""

    is_signed: bool
    needs_fax: bool
    dispatches: list[ReportDispatch]

    @property
    def latest(self) -> ReportDispatch | None:
        return self.dispatches[-1] if self.dispatches else None


def dispatch_status(case: Case) -> DispatchStatus:
    """Whether the case's report is signed, and whether its last signatures await faxing.

    The dispatches come with the case (loaded with it for the case page).
    """
    dispatches = list(case.dispatches)  # type: ignore[attr-defined]
    report: Report | None = case.report  # type: ignore[attr-defined]
    if report is None or report.state == "draft":
        return DispatchStatus(False, False, dispatches)
    local = [s.id for s in report.signatures if s.user_id is not None]
    covered = max((d.signature_id for d in dispatches), default=0)
    needs = bool(local) and max(local) > covered and case.status != "cancelled"
    return DispatchStatus(True, needs, dispatches)


def needs_fax_clause() -> ColumnElement[bool]:
    """SQL, correlated to Case: a signature made in the app that no dispatch covers yet."""
    signed = (
        select(func.max(ReportSignature.id))
        .join(Report, Report.id == ReportSignature.report_id)
        .where(Report.case_id == Case.id, ReportSignature.user_id.is_not(None))
        .scalar_subquery()
    )
    covered = (
        select(func.coalesce(func.max(ReportDispatch.signature_id), 0))
        .where(ReportDispatch.case_id == Case.id)
        .scalar_subquery()
    )
    return (func.coalesce(signed, 0) > covered) & (Case.status != "cancelled")
