"""What every catch-up write shares: its errors, the case state it reads, the status it derives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import Session, aliased, joinedload

from ..accession_rule import lacks_accession
from ..cases.errors import INCIDENT_ENDED
from ..models import (
    CATCHUP_STEPS,
    Case,
    CatchupRecord,
    CatchupTick,
    ExamRecord,
    Incident,
    Report,
    utcnow,
)
from ..refusal import Refused
from ..storage import insert_row, update_by_key, update_row


class CatchupError(Refused):
    """A catch-up action the rules do not allow."""


class CaseNotFound(CatchupError):
    """No such case at the acting user's site; a view answers 404."""

    def __init__(self) -> None:
        super().__init__("Ärendet finns inte.")


@dataclass(frozen=True)
class StepState:
    """The latest tick of one step: what the reconciliation rules need of it."""

    is_done: bool
    user_id: int
    at: datetime
    # The tick's id: ticks are ordered by it, as written. Their times come from the laptop's
    # clock, which may have been set back between two ticks.
    id: int


_STEP_TICKS = (
    select(
        CatchupTick.step, CatchupTick.is_done, CatchupTick.user_id, CatchupTick.at, CatchupTick.id
    )
    .where(CatchupTick.case_id == bindparam("case_id"))
    .order_by(CatchupTick.id)
)
# With its catch-up record in the same query: every action here reads it.
_CASE_WITH_RECORD = (
    select(Case)
    .where(Case.id == bindparam("case_id"))
    .options(joinedload(Case.catchup), joinedload(Case.incident))  # type: ignore[attr-defined]
)


def _step_states(session: Session, case_id: int) -> dict[str, StepState]:
    """The current state of each ticked step of one case (the latest tick wins)."""
    rows = session.connection().execute(_STEP_TICKS, {"case_id": case_id})
    return {row.step: StepState(row.is_done, row.user_id, row.at, row.id) for row in rows}


def done_steps(session: Session, case_id: int) -> list[str]:
    """The catch-up steps a secretary has done in RIS for the case (latest tick done)."""
    return [s for s, t in _step_states(session, case_id).items() if t.is_done]


def latest_states(ticks: list[tuple[datetime, int, str, bool, int]]) -> dict[str, StepState]:
    """The state of each step from (at, id, step, is_done, user_id) ticks: the last written
    (highest id) wins."""
    in_order = sorted(ticks, key=lambda tick: tick[1])
    return {
        step: StepState(is_done, user_id, at, tick_id)
        for at, tick_id, step, is_done, user_id in in_order
    }


def ticks_of(rows: Any) -> list[tuple[datetime, int, str, bool, int]]:
    """The (at, id, step, is_done, user_id) ticks of CASE_STATE_AND_TICKS rows: the latest of
    each step."""
    return [
        (r.tick_at, r.tick_id, r.tick_step, r.tick_is_done, r.tick_user_id)
        for r in rows
        if r.tick_id is not None
    ]


def record_of(session: Session, case: Case) -> CatchupRecord:
    record = case.catchup
    if record is None:
        # Through the relationship, so case.catchup names it for the rest of the transaction.
        record = CatchupRecord(case=case)
        session.add(record)
        session.flush()
    return record


CANCELLED_CASE = "Ärendet är makulerat."
WAIVED_CASE = "Ärendet är undantaget från efterregistreringen."


def refuse_settled(case: Any) -> None:
    """Refuse a step or check of a case whose incident has ended, or that is cancelled or waived.

    `case` is the case's state as read under its lock (incident_ended_at, status, waived_at). A
    cancelled case is not to be in RIS, and a waiver stands in for the keying: a step or check
    would vouch for a keying that does not count.
    """
    if case.incident_ended_at is not None:
        raise CatchupError(INCIDENT_ENDED)
    if case.status == "cancelled":
        raise CatchupError(CANCELLED_CASE)
    if case.waived_at is not None:
        raise CatchupError(WAIVED_CASE)


# A lifted waiver leaves nothing of itself on the record, its confirmation included: a waiver
# given again later waits for a confirmation of its own.
_NO_WAIVER = {
    "waived_at": None,
    "waived_by_id": None,
    "waive_reason": "",
    "waiver_confirmed_at": None,
    "waiver_confirmed_by_id": None,
}


def clear_waiver(session: Session, record_id: int) -> None:
    """Remove a case's waiver (lifted, or made stale by a change RIS never had)."""
    update_by_key(session, CatchupRecord.__table__, record_id, dict(_NO_WAIVER))


def clear_loaded_waiver(session: Session, record: CatchupRecord) -> None:
    """clear_waiver for a record loaded in the session; the object shows the change too."""
    update_row(session, record, dict(_NO_WAIVER))


def load_open_case(session: Session, case_id: int, site_id: int | None = None) -> Case:
    case = session.scalar(_CASE_WITH_RECORD, {"case_id": case_id})
    if case is None or (site_id is not None and case.site_id != site_id):
        raise CaseNotFound()
    if case.incident.ended_at is not None:
        raise CatchupError(INCIDENT_ENDED)
    return case


RECONCILE_FIELDS = ("keyed_at", "keyed_by_id", "verified_at", "verified_by_id", "reconciled_at")
# What the step rules read of a case, as plain columns: loading ORM objects costs several times
# more than the query.
_CASE_STATE = (
    select(
        Case.id,
        Case.site_id,
        Case.incident_id,
        Case.patient_id,
        Case.status,
        CatchupRecord.id.label("record_id"),
        CatchupRecord.ris_accession,
        CatchupRecord.ris_exam_number,
        CatchupRecord.waived_at,
        CatchupRecord.waive_reason,
        CatchupRecord.waiver_confirmed_at,
        *(CatchupRecord.__table__.c[name] for name in RECONCILE_FIELDS),
        Report.state.label("report_state"),
        ExamRecord.id.label("exam_id"),
        ExamRecord.pacs_status,
        Incident.ended_at.label("incident_ended_at"),
    )
    .join(Incident, Incident.id == Case.incident_id)
    .outerjoin(CatchupRecord, CatchupRecord.case_id == Case.id)
    .outerjoin(Report, Report.case_id == Case.id)
    .outerjoin(ExamRecord, ExamRecord.case_id == Case.id)
    .where(Case.id == bindparam("case_id"))
)


_EACH_STEP = aliased(CatchupTick)
# The latest tick of each step of the case: the one written last, whatever the clock said (it
# may have been set back meanwhile). Not correlated: read once, whatever the case's ticks.
_LATEST_TICK_IDS = (
    select(func.max(_EACH_STEP.id))
    .where(_EACH_STEP.case_id == bindparam("case_id"))
    .group_by(_EACH_STEP.step)
)
# Ticking a step reads the case and the latest tick of each step in one query: a row per ticked
# step (or one row with no tick). The rules read no older tick, and a step tapped on and off
# while RIS was keyed would otherwise repeat the case's columns for every tick it ever had.
CASE_STATE_AND_TICKS = (
    _CASE_STATE.add_columns(
        CatchupTick.id.label("tick_id"),
        CatchupTick.step.label("tick_step"),
        CatchupTick.is_done.label("tick_is_done"),
        CatchupTick.user_id.label("tick_user_id"),
        CatchupTick.at.label("tick_at"),
    )
    .outerjoin(
        CatchupTick, and_(CatchupTick.case_id == Case.id, CatchupTick.id.in_(_LATEST_TICK_IDS))
    )
    .order_by(CatchupTick.id)
)


def _case_state(session: Session, case_id: int, site_id: int | None = None) -> Any:
    """The case row the step rules read, inside the write transaction."""
    case = session.connection().execute(_CASE_STATE, {"case_id": case_id}).first()
    if case is None or (site_id is not None and case.site_id != site_id):
        raise CaseNotFound()
    return case


def reconcile_if_complete(
    session: Session,
    case: Any,
    four_eyes: bool,
    record_changes: dict[str, Any] | None = None,
    ticks: dict[str, StepState] | None = None,
) -> None:
    """Derive the case's status and RIS dates from its steps; record_changes are written too.

    ticks: the state of each step if the caller has it, else read here.
    """
    before = {f: getattr(case, f) for f in RECONCILE_FIELDS}
    now = {**before, **(record_changes or {})}
    if ticks is None:
        ticks = _step_states(session, case.id)
    keyed = all(ticks.get(s) is not None and ticks[s].is_done for s in CATCHUP_STEPS)
    if keyed and now["keyed_at"] is None:
        now["keyed_at"] = utcnow()
        last = max((ticks[s] for s in CATCHUP_STEPS), key=lambda t: t.id)
        now["keyed_by_id"] = last.user_id
    if not keyed:
        now.update(keyed_at=None, keyed_by_id=None, verified_at=None, verified_by_id=None)
    verified = now["verified_at"] is not None or not four_eyes
    # Booked with no accession (older data), the case could not be matched to its exam in RIS:
    # it waits, keyed, for the accession and the check. One reconciled so already stays so.
    if keyed and now["reconciled_at"] is None and lacks_accession(case.status, ticks, case):
        verified = False
    status = case.status
    if keyed and verified and status != "cancelled":
        status = "closed"
        now["reconciled_at"] = now["reconciled_at"] or utcnow()
    elif keyed and status != "cancelled":
        status = "keyed_in_ris"
        now["reconciled_at"] = None
    elif status in ("keyed_in_ris", "closed") and case.waived_at is None:
        status = _clinical_status(case)
        now["reconciled_at"] = None
    if case.record_id is None:
        insert_row(session, CatchupRecord.__table__, {"case_id": case.id, **now})
    else:
        changed = {f: v for f, v in now.items() if v != before[f]}
        update_by_key(session, CatchupRecord.__table__, case.record_id, changed)
    update_by_key(session, Case.__table__, case.id, {"status": status, "updated_at": utcnow()})


def _clinical_status(case: Any) -> str:
    if case.report_state == "definitive":
        return "report_definitive"
    if case.report_state == "preliminary":
        return "report_preliminary"
    return "exam_done" if case.exam_id is not None else "referral_received"
