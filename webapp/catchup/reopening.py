"""A case already keyed into RIS goes back into the catch-up when what RIS holds goes stale.

A preliminary report may be keyed into RIS before the definitive one is signed, and a patient's
identity may be corrected after the secretaries booked the exam. Left alone, the case would stay
closed with the old text or the wrong patient in RIS, and the incident could end. So the change
that makes RIS stale, in its own transaction, unticks the steps that must be done again (with a
note saying why) and lifts a waiver; the case is outstanding until a secretary has redone them.
"""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy.orm import Session

from ..audit import Actor, log_event
from ..models import CATCHUP_STEPS, CatchupTick, User, utcnow
from ..storage import insert_row
from .services import (
    CASE_STATE_AND_TICKS,
    clear_waiver,
    latest_states,
    reconcile_if_complete,
    ticks_of,
)

# The steps whose RIS copy each kind of change makes stale.
STALE_STEPS: dict[str, tuple[str, ...]] = {
    "report": ("report_keyed", "correction_list"),
    # A call about an urgent finding, which RIS documents with the report: the report is keyed
    # again with it; the radiologist's text, on the correction list, did not change.
    "call": ("report_keyed",),
    "referral": ("booked",),
    "exam": ("exam_completed", "images_matched"),
    # The exam documented only after the case was waived or keyed: RIS has never had it.
    "exam_added": ("exam_completed", "images_matched"),
    # A wrong patient in RIS touches the booking, the images and the report alike.
    "identity": CATCHUP_STEPS,
    # A report blank joined to a waived case with no signed report: the report is on paper only.
    "report_blank": ("report_keyed", "correction_list"),
    # A documentation blank joined to a waived case with no exam documented: as "exam_added",
    # the exam is on paper only and RIS has never had it.
    "doc_blank": ("exam_completed", "images_matched"),
    # Images sent to PACS after the outage (cases/images_sent.py): the booking, the exam's
    # completion and the report in RIS do not depend on where the images were, and unticking
    # them would send the secretary to redo work that is still right. A match ticked while the
    # exam said "not sent" (before the tick was refused so) was made without these images in
    # PACS: it is done again with them. Nor is a waiver lifted: RIS is no staler than before.
    "pacs_sent": ("images_matched",),
    # A case moved out of a drill into a real outage (cases/moving_drill.py): nothing of a drill
    # reaches the real RIS, so every step it practised is to be done there.
    "drill": CATCHUP_STEPS,
}
# A waiver stands for an edit of the referral or the exam notes, but not for a report, an exam
# or a patient that RIS has never had. Left standing over an exam documented after it, the case
# would stay closed: off the radiologist's worklist, and the incident could end unreported.
# A drill's waiver was practice: it must not take a real patient's case out of RIS.
LIFTS_WAIVER = ("report", "identity", "exam_added", "report_blank", "doc_blank", "drill")


def reopen_after_change(
    session: Session,
    case_id: int,
    *,
    change: str,
    user: User | Actor,
    note: str,
    note_if_waived: str = "",
) -> list[str]:
    """Untick the steps a change made stale and lift a waiver; returns the unticked steps.

    note_if_waived: the note instead of `note` when the change lifts a waiver (the case may
    never have been in RIS, so nothing there changed).

    Runs inside the write transaction of the change, after it, so the case's status is derived
    from what has just been written (e.g. the new definitive report).
    """
    rows = session.connection().execute(CASE_STATE_AND_TICKS, {"case_id": case_id}).all()
    if not rows or rows[0].record_id is None:
        return []  # not in the catch-up yet: the change is simply part of what gets keyed
    case = rows[0]
    ticks = ticks_of(rows)
    states = latest_states(ticks)
    stale = [s for s in STALE_STEPS[change] if s in states and states[s].is_done]
    waived = case.waived_at is not None and change in LIFTS_WAIVER
    if not stale and not waived:
        return []
    at = utcnow()
    # A waived case was keyed in RIS some other way, or not at all, so its steps may never have
    # been ticked here: they get the note anyway, so the case shows why it is back and comes
    # first among the outstanding ones.
    noted = list(STALE_STEPS[change]) if waived else stale
    if waived and note_if_waived:
        note = note_if_waived
    for step in noted:
        tick_id = insert_row(
            session,
            CatchupTick.__table__,
            {
                "case_id": case.id,
                "step": step,
                "is_done": False,
                "user_id": user.id,
                "note": note,
                "at": at,
            },
        )
        ticks.append((at, tick_id, step, False, user.id))
    state = SimpleNamespace(**case._mapping)
    if waived:
        clear_waiver(session, case.record_id)
        state.waived_at = None
    reconcile_if_complete(session, state, four_eyes=True, ticks=latest_states(ticks))
    detail = note + (f" (undantaget hävt: {case.waive_reason})" if waived else "")
    log_event("catchup_reopen", user=user, case=case, detail=detail[:500])
    return stale
