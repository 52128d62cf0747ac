"""Whether a case's signed report has been faxed to the referrer.

Apart from the reporting package, which the board, the worklist and the closing checks would
otherwise pull in with all its views.

One rule, in Python for a loaded case and in SQL for lists: a signature (preliminary, definitive
or an addendum) that no logged dispatch covers needs faxing. A report that arrived by fax from
the external reviewer is the exception: the reviewer routine logs its copy to the referrer. A
report faxed in from anywhere else and entered on the case page has no such routine, so it is
the department's to fax on like its own; so is a report keyed in from the paper template.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, or_, select

from .extensions import db
from .models import Case, Report, ReportDispatch, ReportSignature, ReviewerExchange


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
    if case.status == "cancelled":
        return DispatchStatus(True, False, dispatches)
    covered = max((d.signature_id for d in dispatches), default=0)
    # A report keyed in from paper was signed by a radiologist of the department, not faxed in.
    by_fax = report.received_by_fax
    local = max((s.id for s in report.signatures if s.user_id or not by_fax), default=0)
    faxed_in = max((s.id for s in report.signatures if not s.user_id and by_fax), default=0)
    needs = local > covered or (faxed_in > covered and not _with_reviewer(case.id))
    return DispatchStatus(True, needs, dispatches)


def _with_reviewer(case_id: int) -> bool:
    # Asked only when a faxed-in signature is not yet covered, so the case page's usual
    # queries stay as they are.
    found = db.session.scalar(
        select(ReviewerExchange.id).where(ReviewerExchange.case_id == case_id)
    )
    return found is not None


def needs_fax_clause() -> ColumnElement[bool]:
    """SQL, correlated to Case: a signature of the department's that no dispatch covers yet."""
    signed = (
        select(func.max(ReportSignature.id))
        .join(Report, Report.id == ReportSignature.report_id)
        .where(
            Report.case_id == Case.id,
            or_(
                ReportSignature.user_id.is_not(None),
                Report.received_by_fax.is_(False),
                # Report, not Case: a subquery correlates only with the query around it, so
                # Case here was a table of its own, and one case with the external reviewer
                # took every other faxed-in report off the lists.
                ~exists().where(ReviewerExchange.case_id == Report.case_id),
            ),
        )
        .scalar_subquery()
    )
    covered = (
        select(func.coalesce(func.max(ReportDispatch.signature_id), 0))
        .where(ReportDispatch.case_id == Case.id)
        .scalar_subquery()
    )
    return (func.coalesce(signed, 0) > covered) & (Case.status != "cancelled")
