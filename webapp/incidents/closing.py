"""The condition for ending an incident: nothing outstanding."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, func, select

from ..accession_rule import NO_ACCESSION_TASK, lacks_accession_clause
from ..call_rule import needs_call_clause
from ..extensions import db
from ..identity import format_patient_id
from ..models import Case, CatchupRecord, Report, ReportSignature, ReviewerExchange
from ..models.report import SIGNING_KINDS, has_findings
from ..release_in_ris import ReleaseNote
from ..restore_call_rule import needs_restore_call_clause
from ..reviewer_cancel_rule import REVIEWER_NOT_TOLD_TASK, reviewer_not_told_clause
from ..reviewer_restore_rule import REVIEWER_BACK_ON_TASK, back_on_untold_clause
from ..reviewer_rule import AWAITS_REVIEWER_TASK, awaits_reviewer_clause
from ..ris_pacs_left import LeftBehind
from ..waiver_rule import WAIVER_PENDING_TASK, waiver_pending_clause
from .open_task import OpenTask
from .ris_tasks import ris_tasks

# A case is no longer outstanding once it is in RIS and closed, or cancelled with a reason.
DONE_STATUSES = ("closed", "cancelled")


UNMADE_CALL = "Samtalet till remittenten om det akuta fyndet är inte loggat."
RESTORE_CALL = (
    "Remittenten fick besked om makuleringen men är inte ringd om att den ångrats: ring och "
    "logga samtalet i ärendet."
)
UNHANDLED_FAX = "RIS-administratören har inte hanterat det faxade utlåtandet från extern granskare."
NOT_FORWARDED = "Kopian av utlåtandet från extern granskare är inte faxad till remittenten."
UNSIGNED_CHANGE = (
    "Utlåtandet har ändrats efter signeringen men inte signerats igen: radiologen signerar "
    "det, sedan läggs det in i RIS på nytt."
)
WAIVED_UNSIGNED = (
    "Osignerat utlåtande på ett undantaget ärende: radiologen signerar det (då ska ärendet "
    "föras in i RIS) eller tömmer det. Efter avslutet kan det inte signeras."
)


# The patient's columns every list of cases here reads: a case is named by its code and its
# patient's name and number, never by the code alone.
_PATIENT = (Case.patient_name, Case.patient_id_kind, Case.patient_id)


def _task(row: Any, kind: str, message: str) -> OpenTask:
    number = format_patient_id(row.patient_id_kind, row.patient_id)
    return OpenTask(row.id, row.code, row.patient_name, kind, message, number)


def outstanding_count(incident_id: int, *, pending_waivers: bool = False) -> int:
    """Cases of an incident that are still on their way to RIS.

    A case whose waiver waits for its confirmation is not: nothing is to be keyed while it
    stands, and open_tasks names it, with what is left to do. With `pending_waivers` it is
    counted all the same: it is not reconciled, as the batch's progress counts it.
    """
    where = [Case.incident_id == incident_id, Case.status.not_in(DONE_STATUSES)]
    if not pending_waivers:
        where.append(~waiver_pending_clause())
    return int(db.session.scalar(select(func.count(Case.id)).where(*where)) or 0)


def outstanding_cases(incident_id: int, limit: int) -> list[Any]:
    """The first `limit` of the cases outstanding_count counts, oldest first: id, code, patient."""
    return list(
        db.session.execute(
            select(Case.id, Case.code, *_PATIENT)
            .where(
                Case.incident_id == incident_id,
                Case.status.not_in(DONE_STATUSES),
                ~waiver_pending_clause(),
            )
            .order_by(Case.created_at, Case.id)
            .limit(limit)
        )
    )


def open_tasks(
    incident_id: int,
    *,
    left: Sequence[LeftBehind] | None = None,
    notes: Sequence[ReleaseNote] | None = None,
) -> list[OpenTask]:
    """Unmade urgent calls and calls about a cancellation undone after its notice was faxed,
    faxed reviewer reports not forwarded or not handled in RIS, and
    reconciled cases with something still to set right in RIS (an unsigned change, or a
    booking with no accession), waived cases with a report written but never signed, and
    waivers that wait for a second user's confirmation (four eyes), cancelled cases whose
    order in RIS or images in PACS are not recorded as cleaned up there (ris_pacs_left), and
    reviewer answers entered in RIS on the wrong case not recorded as removed (reviewer_in_ris),
    and releases of images whose referral note is not recorded as written in RIS
    (release_in_ris).

    A case keyed into RIS or waived is reconciled, but the referrer may still be waiting for the
    call about its urgent finding or for the reviewer's answer, and a faxed report may still wait
    in the RIS administrator's queue.

    left, notes: its cases to clean up and its due release notes, when the caller read them.
    """
    calls = db.session.execute(
        select(Case.id, Case.code, *_PATIENT)
        .where(
            Case.incident_id == incident_id,
            Case.status != "cancelled",
            needs_call_clause(),
        )
        .order_by(Case.id)
    ).all()
    # The referrer still believes the exam will not be done: after the end nobody would call.
    restored = db.session.execute(
        select(Case.id, Case.code, *_PATIENT)
        .where(Case.incident_id == incident_id, needs_restore_call_clause())
        .order_by(Case.id)
    ).all()
    faxes = db.session.execute(
        select(Case.id, Case.code, *_PATIENT)
        .join(ReviewerExchange, ReviewerExchange.case_id == Case.id)
        .where(
            Case.incident_id == incident_id,
            ReviewerExchange.queued_for_admin_at.is_not(None),
            ReviewerExchange.admin_done_at.is_(None),
        )
        .order_by(Case.id)
    ).all()
    received = db.session.scalars(
        select(ReviewerExchange)
        .where(
            ReviewerExchange.incident_id == incident_id,
            ReviewerExchange.report_received_at.is_not(None),
        )
        .order_by(ReviewerExchange.case_id)
    )
    unsigned = _unsigned_after_reconciling(incident_id)
    # A case not yet reconciled is outstanding anyway; the board says it waits for the answer.
    awaited = db.session.execute(
        select(Case.id, Case.code, *_PATIENT)
        .where(Case.incident_id == incident_id, Case.status == "closed", awaits_reviewer_clause())
        .order_by(Case.id)
    ).all()
    # Cancelled with the referral at the reviewer: after the end nobody would tell them.
    untold = db.session.execute(
        select(Case.id, Case.code, *_PATIENT)
        .where(Case.incident_id == incident_id, reviewer_not_told_clause())
        .order_by(Case.id)
    ).all()
    # Told of a cancellation since undone: the reviewer still believes the exam is off.
    back_on = db.session.execute(
        select(Case.id, Case.code, *_PATIENT)
        .where(Case.incident_id == incident_id, back_on_untold_clause())
        .order_by(Case.id)
    ).all()
    pending = db.session.execute(
        select(Case.id, Case.code, *_PATIENT)
        .where(Case.incident_id == incident_id, waiver_pending_clause())
        .order_by(Case.id)
    ).all()
    return [
        *(_task(r, "waiver_pending", WAIVER_PENDING_TASK) for r in pending),
        *(_task(r, "urgent_call", UNMADE_CALL) for r in calls),
        *(_task(r, "restore_call", RESTORE_CALL) for r in restored),
        *(_task(r, "reviewer_answer", AWAITS_REVIEWER_TASK) for r in awaited),
        *(_task(r, "reviewer_cancel", REVIEWER_NOT_TOLD_TASK) for r in untold),
        *(_task(r, "reviewer_back_on", REVIEWER_BACK_ON_TASK) for r in back_on),
        *(_task(r, "unsigned_report", UNSIGNED_CHANGE) for r in unsigned),
        *(_task(r, "waived_unsigned", WAIVED_UNSIGNED) for r in _unsigned_on_waived(incident_id)),
        *(
            _task(r, "no_accession", NO_ACCESSION_TASK)
            for r in _booked_without_accession(incident_id)
        ),
        *(
            _task(e.case, "reviewer_forward", NOT_FORWARDED)
            for e in received
            if e.awaits_forwarding
        ),
        *(_task(r, "reviewer_fax", UNHANDLED_FAX) for r in faxes),
        *ris_tasks(incident_id, left=left, notes=notes),
    ]


# Built once: the board asks both on every refresh, and building them cost more than running
# them. One statement each for all the incident's cases (a look-up a case cost ~0.1 ms each).
_LAST_SIGNED = (
    select(ReportSignature.content_hash)
    .where(ReportSignature.report_id == Report.id, ReportSignature.kind.in_(SIGNING_KINDS))
    # The last written, whatever the clock said: it may have been set back between two.
    .order_by(ReportSignature.id.desc())
    .limit(1)
    .correlate(Report)
    .scalar_subquery()
)
_RECONCILED_PRELIMINARY = (
    select(Case.id, Case.code, *_PATIENT, Report.sections, _LAST_SIGNED.label("signed_hash"))
    .join(Report, Report.case_id == Case.id)
    .where(
        Case.incident_id == bindparam("incident_id"),
        Case.status == "closed",
        Report.state == "preliminary",
    )
    .order_by(Case.id)
)
_WAIVED_WITH_DRAFT = (
    select(Case.id, Case.code, *_PATIENT, Report.sections)
    .join(Report, Report.case_id == Case.id)
    .join(CatchupRecord, CatchupRecord.case_id == Case.id)
    .where(
        Case.incident_id == bindparam("incident_id"),
        Case.status == "closed",
        CatchupRecord.waived_at.is_not(None),
        Report.state == "draft",
    )
    .order_by(Case.id)
)


def awaiting_signature(incident_id: int) -> dict[int, str]:
    """Reconciled cases whose report waits for a radiologist: "unsigned_report" (changed after
    keying, not signed again) or "waived_unsigned" (written on a waived case, never signed).

    The board keeps these on its active list: reconciled, they would drop off it, and the
    radiologist who alone can finish them would not see that the close waits for them.
    """
    held = {r.id: "waived_unsigned" for r in _unsigned_on_waived(incident_id)}
    held.update((r.id, "unsigned_report") for r in _unsigned_after_reconciling(incident_id))
    return held


def _unsigned_after_reconciling(incident_id: int) -> list[Any]:
    """Reconciled cases whose preliminary report was changed since it was signed, unsigned.

    RIS holds the signed text; the change is no one's report until it is signed again, which
    reopens the case. Left so, it would be stranded once the incident ends. (A case not yet
    reconciled is outstanding anyway: its report cannot be keyed until it is signed again.)
    """
    # Here, not at the top: the reporting package imports the case pages, which import this.
    from ..reporting.signed import content_hash

    rows = db.session.execute(_RECONCILED_PRELIMINARY, {"incident_id": incident_id}).all()
    return [
        r for r in rows if r.signed_hash is not None and content_hash(r.sections) != r.signed_hash
    ]


def _unsigned_on_waived(incident_id: int) -> list[Any]:
    """Waived cases whose report has text saved but never signed.

    Signed, it lifts the waiver (see catchup/reopening.py) and goes to RIS; as an ordinary case
    cannot be reconciled on an unsigned report, a waiver must not let the incident end on one,
    which could then never be signed. The catch-up page shows a draft report as no report at
    all, so one saved before the waiver was not waived knowingly either.
    """
    rows = db.session.execute(_WAIVED_WITH_DRAFT, {"incident_id": incident_id}).all()
    return [r for r in rows if has_findings(r.sections)]


def _booked_without_accession(incident_id: int) -> list[Any]:
    """Reconciled cases that stand as booked in RIS with no accession (see accession_rule).

    A case not yet reconciled is outstanding anyway, and the batch flags it in that list.
    """
    return list(
        db.session.execute(
            select(Case.id, Case.code, *_PATIENT)
            .where(
                Case.incident_id == incident_id,
                Case.status == "closed",
                lacks_accession_clause(),
            )
            .order_by(Case.id)
        )
    )
