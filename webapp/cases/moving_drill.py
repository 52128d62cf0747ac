"""A drill's catch-up undone when its case moves into a real outage.

A real patient taken into a drill by mistake may have had the catch-up practised on it: steps
ticked as keyed into RIS, a made-up RIS accession and exam number saved, a waiver given. None of
it reached the real RIS. Carried over, the case would count as booked, keyed or waived in the
real outage: off the secretaries' list, not holding the close, and never keyed (principle 3).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import record_version, snapshot
from ..extensions import db
from ..models import Case, CatchupRecord, User, utcnow

# The catch-up record's versioned RIS numbers, as catchup.ris_numbers.RECORD_FIELDS (that
# package cannot be imported at this module's top: its views import the cases' moves).
RECORD_FIELDS = ("ris_accession", "ris_exam_number", "version")
# On each step undone (and shown beside the case in the real outage's catch-up).
DRILL_STEP_UNDONE = (
    "Gjort i en övning: ärendet är flyttat till ett skarpt driftstopp, och inget från övningen "
    "är inlagt i RIS. Lägg in det i RIS från början."
)
DRILL_WAIVER_LIFTED = (
    "Undantaget gjordes i en övning: ärendet är flyttat till ett skarpt driftstopp och ska "
    "läggas in i RIS."
)
# Said on the move form before a drill case with catch-up done is moved (move_forms).
CATCHUP_RESTARTS_HINT = (
    "Efterregistreringen är påbörjad i övningen. Flyttas ärendet till ett skarpt driftstopp "
    "börjar den om där: stegen ångras, RIS-numren tas bort och ett undantag hävs, eftersom inget "
    "från en övning är inlagt i RIS."
)


def has_drill_catchup(case_id: int) -> bool:
    """Whether the case has any catch-up of its own: a step ticked done, RIS numbers, a waiver."""
    # Imported here: the catch-up package's views import the cases' moves (moved_out).
    from ..catchup.services import done_steps

    record = db.session.execute(
        select(
            CatchupRecord.ris_accession, CatchupRecord.ris_exam_number, CatchupRecord.waived_at
        ).where(CatchupRecord.case_id == case_id)
    ).first()
    if record is not None and (
        record.ris_accession or record.ris_exam_number or record.waived_at is not None
    ):
        return True
    return bool(done_steps(db.session(), case_id))


def restart_drill_catchup(session: Session, case: Case, user: User, reason: str) -> str:
    """Undo the drill's catch-up of a case just moved into a real outage; the audit's note on
    what was undone ("" for nothing).

    Nothing is deleted: the drill's ticks stay, each undone by an appended tick with its note (as
    a change that makes RIS stale does, reopening.py), and its RIS numbers are cleared as a
    version of the catch-up record, with the move's reason.
    """
    # Imported here: the catch-up package's views import the cases' moves (moved_out).
    from ..catchup.reopening import reopen_after_change
    from ..catchup.step_labels import STEP_LABELS

    # The move first, so the case's state is read as it now stands.
    session.flush()
    record = session.scalar(select(CatchupRecord).where(CatchupRecord.case_id == case.id))
    if record is None:
        return ""
    numbers = f"{record.ris_accession} {record.ris_exam_number}".strip()
    waiver = record.waive_reason if record.waived_at is not None else None
    if numbers:
        before = snapshot(record, RECORD_FIELDS)
        record.ris_accession = ""
        record.ris_exam_number = ""
        record.updated_at = utcnow()
        record_version(record, before, entity="catchup", case_id=case.id, user=user, reason=reason)
        session.flush()
    undone = reopen_after_change(
        session,
        case.id,
        change="drill",
        user=user,
        note=DRILL_STEP_UNDONE,
        note_if_waived=DRILL_WAIVER_LIFTED,
    )
    # Written past the ORM (status, keyed and checked dates, the waiver): read again if asked.
    session.expire(record)
    session.expire(case, ["status", "updated_at"])
    parts = []
    if undone:
        parts.append("övningens steg ångrade: " + ", ".join(STEP_LABELS[s] for s in undone))
    if numbers:
        parts.append(f"övningens RIS-nummer {numbers} borttagna")
    if waiver is not None:
        parts.append(f"övningens undantag hävt: {waiver}")
    if not parts:
        return ""
    return f"efterregistreringen börjar om ({'; '.join(parts)})"
