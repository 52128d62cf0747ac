"""Whether a case's signed report has been faxed to the referrer.

Apart from the reporting package, which the board, the worklist and the closing checks would
otherwise pull in with all its views.

One rule, in Python for a loaded case and in SQL for lists: a signature (preliminary, definitive
or an addendum) that no logged dispatch covers needs faxing. A report that arrived by fax from
the external reviewer is the exception while the reviewer routine has it in hand: the routine
still waits to forward a report it logged as received, or has logged a copy forwarded to the
referrer that covers the signature (the report's latest when the copy was logged; by id, not by
time, as the laptop's clock may have been set back between the two). Any other faxed-in
signature, from elsewhere or from the reviewer but entered on the case page only, is the
department's to fax on like its own (else nothing would show it as owed); so is a report keyed
in from the paper template.

A report faxed (a dispatch) or forwarded (the reviewer routine's copy, which carries the
patient's name and number too) before the patient's identity was corrected named the patient as
they were: the case needs faxing again until a dispatch or copy logged after the correction.
Both record the case's identity_revision; counters, not times, for the same reason as above. A
correction before anything was faxed asks for nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, SQLColumnExpression, exists, func, or_, select
from sqlalchemy.orm import aliased

from .extensions import db
from .models import (
    Case,
    Report,
    ReportDispatch,
    ReportSignature,
    ReviewerExchange,
    ReviewerLogEntry,
)


@dataclass(frozen=True)
class DispatchStatus:
    """What the case page and the reporting screen say about faxing the report."""

    is_signed: bool
    needs_fax: bool
    dispatches: list[ReportDispatch]
    # Needs faxing because the identity was corrected after the last fax (a signature since
    # may be owed too: the fax again covers both).
    identity_corrected: bool = False

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
    faxed_in = [s for s in report.signatures if not s.user_id and by_fax and s.id > covered]
    needs = local > covered
    if not needs and faxed_in:
        # Asked only when a faxed-in signature is not yet covered, so the case page's usual
        # queries stay as they are.
        awaits, forwarded = _reviewer_routine(case.id)
        needs = not awaits and any(s.id > forwarded for s in faxed_in)
    corrected = _identity_outdated(case, dispatches)
    return DispatchStatus(True, needs or corrected, dispatches, corrected)


def _identity_outdated(case: Case, dispatches: list[ReportDispatch]) -> bool:
    """Whether the report went out (faxed or forwarded) before the identity's last correction,
    and not since."""
    current = case.identity_revision
    if current == 0:
        return False
    faxed = [d.identity_revision for d in dispatches]
    if any(r >= current for r in faxed):
        return False
    # Asked only for a case corrected since its last dispatch (if any).
    forwarded = db.session.scalars(
        select(ReviewerLogEntry.identity_revision)
        .join(ReviewerExchange, ReviewerExchange.id == ReviewerLogEntry.exchange_id)
        .where(ReviewerExchange.case_id == case.id, ReviewerLogEntry.kind == "forwarded")
    ).all()
    if any(r >= current for r in forwarded):
        return False
    return bool(faxed or forwarded)


def _reviewer_routine(case_id: int) -> tuple[bool, int]:
    """Whether the case's reviewer routine awaits forwarding a report it logged as received,
    and the latest signature a copy forwarded to the referrer covers (0: none)."""
    rows = db.session.execute(
        select(ReviewerLogEntry.id, ReviewerLogEntry.kind, ReviewerLogEntry.signature_id)
        .join(ReviewerExchange, ReviewerExchange.id == ReviewerLogEntry.exchange_id)
        .where(
            ReviewerExchange.case_id == case_id,
            ReviewerLogEntry.kind.in_(("report_received", "forwarded")),
        )
    ).all()
    received = max((r.id for r in rows if r.kind == "report_received"), default=0)
    forwarded = [r for r in rows if r.kind == "forwarded"]
    last_forwarded = max(forwarded, key=lambda r: r.id, default=None)
    awaits = received > (last_forwarded.id if last_forwarded else 0)
    covered = max((r.signature_id or 0 for r in forwarded), default=0)
    return awaits, covered


def _with_reviewer_routine() -> ColumnElement[bool]:
    """SQL, correlated to ReportSignature and Report: the reviewer routine has this faxed-in
    signature in hand (see the module's docstring)."""
    received = aliased(ReviewerLogEntry)
    later = aliased(ReviewerLogEntry)
    awaits = (
        exists()
        .where(
            ReviewerExchange.case_id == Report.case_id,
            received.exchange_id == ReviewerExchange.id,
            received.kind == "report_received",
            ~exists().where(
                later.exchange_id == received.exchange_id,
                later.kind == "forwarded",
                later.id > received.id,
            ),
        )
        .correlate(Report)
    )
    forwarded = (
        exists()
        .where(
            ReviewerExchange.case_id == Report.case_id,
            later.exchange_id == ReviewerExchange.id,
            later.kind == "forwarded",
            later.signature_id >= ReportSignature.id,
        )
        .correlate(Report, ReportSignature)
    )
    return awaits | forwarded


def _sent_out(older: bool) -> ColumnElement[bool]:
    """SQL, correlated to Case: a dispatch or forwarded copy logged under an earlier identity
    than the case's now (older), or under the identity as now."""

    def compare(revision: SQLColumnExpression[int]) -> ColumnElement[bool]:
        return revision < Case.identity_revision if older else revision >= Case.identity_revision

    # Aliases, correlated to Case alone: a list may join these tables itself (the worklist
    # joins Report), and a subquery would then take them for the list's rows.
    dispatch = aliased(ReportDispatch)
    exchange = aliased(ReviewerExchange)
    entry = aliased(ReviewerLogEntry)
    dispatched = (
        exists()
        .where(dispatch.case_id == Case.id, compare(dispatch.identity_revision))
        .correlate(Case)
    )
    forwarded = (
        exists()
        .where(
            exchange.case_id == Case.id,
            entry.exchange_id == exchange.id,
            entry.kind == "forwarded",
            compare(entry.identity_revision),
        )
        .correlate(Case)
    )
    return dispatched | forwarded


def identity_refax_clause() -> ColumnElement[bool]:
    """SQL, correlated to Case: the signed report went out before the identity's last
    correction, and not since (the Python rule's identity_corrected)."""
    report = aliased(Report)
    signed = exists().where(report.case_id == Case.id, report.state != "draft").correlate(Case)
    # The counter first: most cases were never corrected, and their row asks nothing more.
    return (
        (Case.identity_revision > 0)
        & signed
        & _sent_out(older=True)
        & ~_sent_out(older=False)
        & (Case.status != "cancelled")
    )


def needs_fax_clause() -> ColumnElement[bool]:
    """SQL, correlated to Case: a signature of the department's that no dispatch covers yet,
    or an identity corrected since the report went out."""
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
                ~_with_reviewer_routine(),
            ),
        )
        .scalar_subquery()
    )
    covered = (
        select(func.coalesce(func.max(ReportDispatch.signature_id), 0))
        .where(ReportDispatch.case_id == Case.id)
        .scalar_subquery()
    )
    return ((func.coalesce(signed, 0) > covered) & (Case.status != "cancelled")) | (
        identity_refax_clause()
    )
