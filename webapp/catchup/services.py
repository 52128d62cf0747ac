"""Writes of the catch-up: step ticks, verification, and the rules all its writes share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from ..accession_rule import lacks_accession
from ..audit import Actor, log_event
from ..cases.errors import INCIDENT_ENDED
from ..models import (
    CATCHUP_STEPS,
    Case,
    CatchupRecord,
    CatchupTick,
    ExamRecord,
    Incident,
    RecordVersion,
    Report,
    User,
    utcnow,
)
from ..reporting.signed import UNSIGNED_EDIT, has_unsigned_edit
from ..storage import insert_row, lock_before_reading, update_by_key, write_transaction
from .shown import STALE_PAGE, shown_token

KEYERS = ("secretary", "admin")
STALE_CHECK = (
    "Ärendet har ändrats sedan sidan öppnades (t.ex. utlåtandet eller patientens identitet). "
    "Kontrollen är inte registrerad: jämför uppgifterna nedan med papperet och kontrollera igen."
)
STALE_NUMBERS = (
    "RIS-numren har ändrats sedan sidan öppnades. Kontrollen är inte registrerad: jämför "
    "RIS-numren nedan med RIS och kontrollera igen."
)
# Booked without its accession, the downtime case and its exam in RIS could not be matched.
ACCESSION_MISSING = "Ange accessionsnumret från RIS innan steget markeras som klart."
CHECK_WITHOUT_ACCESSION = (
    "Ärendet står som bokat i RIS utan accessionsnummer. Ange accessionsnumret innan kontrollen."
)
ALREADY_CHECKED = "Ärendet är redan kontrollerat."
CANCELLED_CASE = "Ärendet är makulerat."
WAIVED_CASE = "Ärendet är undantaget från efterregistreringen."
UNDO_CHECKED = (
    "Ärendet är kontrollerat av %(name)s. Om steget ångras tas kontrollen bort och måste göras "
    "om: bekräfta att steget ska ångras."
)


class CatchupError(ValueError):
    """A catch-up action the rules do not allow."""


class CaseNotFound(CatchupError):
    """No such case at the acting user's site; a view answers 404."""

    def __init__(self) -> None:
        super().__init__("Ärendet finns inte.")


class AccessionMissing(CatchupError):
    """'Booked' ticked done with no RIS accession recorded; a view shows it at that field."""

    def __init__(self) -> None:
        super().__init__(ACCESSION_MISSING)


class CheckWouldBeLost(CatchupError):
    """Undoing a step of a checked case, unconfirmed: the second secretary's check would go."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(UNDO_CHECKED % {"name": name})


@dataclass(frozen=True)
class StepState:
    """The latest tick of one step: what the reconciliation rules need of it."""

    is_done: bool
    user_id: int
    at: datetime


_STEP_TICKS = (
    select(CatchupTick.step, CatchupTick.is_done, CatchupTick.user_id, CatchupTick.at)
    .where(CatchupTick.case_id == bindparam("case_id"))
    .order_by(CatchupTick.at, CatchupTick.id)
)
# With its catch-up record in the same query: every action here reads it.
_CASE_WITH_RECORD = (
    select(Case)
    .where(Case.id == bindparam("case_id"))
    .options(joinedload(Case.catchup), joinedload(Case.incident))  # type: ignore[attr-defined]
)


# Who last saved the case's RIS numbers: each save keeps the earlier numbers as a version.
_NUMBERS_SAVED_BY = (
    select(RecordVersion.changed_by_id)
    .where(RecordVersion.entity == "catchup", RecordVersion.case_id == bindparam("case_id"))
    .order_by(RecordVersion.id.desc())
    .limit(1)
)


def _step_states(session: Session, case_id: int) -> dict[str, StepState]:
    """The current state of each ticked step of one case (the latest tick wins)."""
    rows = session.connection().execute(_STEP_TICKS, {"case_id": case_id})
    return {row.step: StepState(row.is_done, row.user_id, row.at) for row in rows}


def done_steps(session: Session, case_id: int) -> list[str]:
    """The catch-up steps a secretary has done in RIS for the case (latest tick done)."""
    return [s for s, t in _step_states(session, case_id).items() if t.is_done]


def latest_states(ticks: list[tuple[datetime, int, str, bool, int]]) -> dict[str, StepState]:
    """The state of each step from (at, id, step, is_done, user_id) ticks: the latest wins."""
    return {
        step: StepState(is_done, user_id, at) for at, _, step, is_done, user_id in sorted(ticks)
    }


def ticks_of(rows: Any) -> list[tuple[datetime, int, str, bool, int]]:
    """The (at, id, step, is_done, user_id) ticks of CASE_STATE_AND_TICKS rows."""
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
        *(CatchupRecord.__table__.c[name] for name in RECONCILE_FIELDS),
        Report.state.label("report_state"),
        ExamRecord.id.label("exam_id"),
        Incident.ended_at.label("incident_ended_at"),
    )
    .join(Incident, Incident.id == Case.incident_id)
    .outerjoin(CatchupRecord, CatchupRecord.case_id == Case.id)
    .outerjoin(Report, Report.case_id == Case.id)
    .outerjoin(ExamRecord, ExamRecord.case_id == Case.id)
    .where(Case.id == bindparam("case_id"))
)


# Ticking a step reads the case and its ticks so far in one query: a row per tick (or one row
# with no tick), ordered as the latest tick wins.
CASE_STATE_AND_TICKS = (
    _CASE_STATE.add_columns(
        CatchupTick.id.label("tick_id"),
        CatchupTick.step.label("tick_step"),
        CatchupTick.is_done.label("tick_is_done"),
        CatchupTick.user_id.label("tick_user_id"),
        CatchupTick.at.label("tick_at"),
    )
    .outerjoin(CatchupTick, CatchupTick.case_id == Case.id)
    .order_by(CatchupTick.at, CatchupTick.id)
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
        last = max((ticks[s] for s in CATCHUP_STEPS), key=lambda t: t.at)
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


def tick_step(
    *,
    case_id: int,
    user: User,
    step: str,
    is_done: bool,
    four_eyes: bool,
    confirm_preliminary: bool = False,
    confirm_uncheck: bool = False,
    note: str = "",
    shown: str = "",
) -> None:
    """Tick or untick one catch-up step (user and time recorded).

    shown: the shown_token of the page the tick came from; a step is not marked done from a
    page older than what RIS is to hold (an untick is always taken).
    confirm_uncheck: the user confirmed that undoing a step of a checked case removes the check.
    """
    if step not in CATCHUP_STEPS:
        raise CatchupError("Okänt steg.")
    actor = Actor.of(user)
    with write_transaction() as session:
        # PostgreSQL: ticks of one case wait for each other, each reading the steps as the
        # other left them, so the last tick finds them all done and the first one alone opens
        # the catch-up record (SQLite's write lock already orders them).
        lock_before_reading(session, Case.__table__, case_id)
        # The site is checked here, inside the write transaction, so a submit needs no load of
        # the case before it.
        rows = session.connection().execute(CASE_STATE_AND_TICKS, {"case_id": case_id}).all()
        if not rows or rows[0].site_id != actor.site_id:
            raise CaseNotFound()
        case = rows[0]
        if case.incident_ended_at is not None:
            raise CatchupError(INCIDENT_ENDED)
        if case.status == "cancelled":
            raise CatchupError(CANCELLED_CASE)
        if case.waived_at is not None:
            raise CatchupError(WAIVED_CASE)
        # Read after the lock, which save_ris_ids takes too: an accession saved meanwhile counts.
        if is_done and step == "booked" and not (case.ris_accession or "").strip():
            raise AccessionMissing()
        if not is_done and case.verified_at is not None and not confirm_uncheck:
            # The check vouches for every step: one stray tap must not wipe a colleague's work.
            name = session.scalar(select(User.display_name).where(User.id == case.verified_by_id))
            raise CheckWouldBeLost(name or "")
        if is_done and shown and shown != shown_token(session, case.id):
            raise CatchupError(STALE_PAGE)
        if is_done and step == "report_keyed":
            if case.report_state in (None, "draft"):
                raise CatchupError("Det finns inget signerat utlåtande att lägga in i RIS.")
            if has_unsigned_edit(session, case.id):
                raise CatchupError(UNSIGNED_EDIT)
            if case.report_state == "preliminary" and not confirm_preliminary:
                raise CatchupError(
                    "Utlåtandet är bara preliminärt signerat. Bekräfta att det ska läggas in "
                    "som preliminärt, eller vänta på det definitiva."
                )
        at = utcnow()
        tick_id = insert_row(
            session,
            CatchupTick.__table__,
            {
                "case_id": case.id,
                "step": step,
                "is_done": is_done,
                "user_id": actor.id,
                "note": note.strip()[:1000],
                "at": at,
            },
        )
        ticks = ticks_of(rows)
        ticks.append((at, tick_id, step, is_done, actor.id))
        reconcile_if_complete(session, case, four_eyes, ticks=latest_states(ticks))
        log_event(
            "catchup_step",
            user=actor,
            case=case,
            detail=f"{step}: {'klar' if is_done else 'ångrad'}",
        )


def verify_case(
    *,
    case_id: int,
    user: User,
    four_eyes: bool,
    shown: str = "",
    numbers: tuple[str, str] | None = None,
) -> None:
    """The second secretary's check of a keyed case against the paper (four eyes).

    shown: the shown_token of the page the check came from; from a page older than what was
    keyed (a new signature or identity keyed since), it would vouch for what was not seen.
    numbers: the RIS accession and exam number that page showed; other numbers saved since
    name another exam in RIS than the one checked.
    """
    with write_transaction() as session:
        lock_before_reading(session, Case.__table__, case_id)
        case = _case_state(session, case_id)
        if case.incident_ended_at is not None:
            raise CatchupError(INCIDENT_ENDED)
        # A cancelled case is not to be in RIS, and a waiver stands in for the keying: a check
        # would vouch for a keying that does not count.
        if case.status == "cancelled":
            raise CatchupError(CANCELLED_CASE)
        if case.waived_at is not None:
            raise CatchupError(WAIVED_CASE)
        if case.keyed_at is None:
            raise CatchupError("Ärendet är inte färdigregistrerat i RIS än.")
        if case.verified_at is not None:
            # A second tap, or a colleague's page opened before the check: the check made
            # stands, and its name stays in the exports.
            raise CatchupError(ALREADY_CHECKED)
        ticks = _step_states(session, case.id)
        # The check would vouch for a booking that cannot be matched to its exam in RIS.
        if lacks_accession(case.status, ticks, case):
            raise CatchupError(CHECK_WITHOUT_ACCESSION)
        if shown and shown != shown_token(session, case.id):
            raise CatchupError(STALE_CHECK)
        if numbers is not None and numbers != (
            case.ris_accession or "",
            case.ris_exam_number or "",
        ):
            raise CatchupError(STALE_NUMBERS)
        keyers = {t.user_id for t in ticks.values() if t.is_done}
        # The RIS numbers are keyed too: whoever saved them last does not check them.
        keyers.add(session.scalar(_NUMBERS_SAVED_BY, {"case_id": case.id}))
        # Without four eyes (turned off after the case was keyed) the one secretary closes it.
        if four_eyes and user.id in keyers:
            raise CatchupError(
                "Kontrollen ska göras av någon annan än den som registrerade ärendet."
            )
        verified = {"verified_at": utcnow(), "verified_by_id": user.id}
        reconcile_if_complete(session, case, four_eyes, verified, ticks=ticks)
        log_event("catchup_verify", user=user, case=case)
