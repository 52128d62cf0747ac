"""'Bokad i RIS' marked done by the accession a secretary saves: one tap, not two.

RIS gives an accession only to an exam it has booked, so a new accession typed from RIS is the
booking. The mark is a tick like the secretary's own (same user, same moment as the number,
audited) and obeys every rule of one (ticking.refuse_done, services.refuse_settled); refused,
the number stands and the page says why beside it. Undoing the tick leaves the number, as before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..audit import log_event
from ..models import User
from .services import (
    CASE_STATE_AND_TICKS,
    CatchupError,
    latest_states,
    reconcile_if_complete,
    refuse_settled,
    ticks_of,
)
from .step_labels import STEP_LABELS
from .ticking import append_tick, refuse_done

# A booking undone while its accession stood was undone for a reason (reopening: the referral
# or patient changed since): the same number saved again proves no new booking in RIS.
BOOKED_SAME_NUMBER = (
    "”Bokad i RIS” är inte markerat, eftersom accessionsnumret är detsamma som förut: markera "
    "steget när bokningen stämmer i RIS."
)


def book_with_accession(
    session: Session,
    case_id: int,
    user: User,
    *,
    is_new: bool,
    shown: str,
    four_eyes: bool,
    at: datetime,
    record_changes: dict[str, Any],
) -> tuple[bool, CatchupError | None]:
    """Tick 'booked' done with the accession just saved (flushed): whether it was ticked now,
    and why not if it is still not done.

    is_new: the accession differs from the one stored before; shown: the page's shown_token;
    record_changes: catch-up record columns the save changed too (a check removed), written
    with the status derived here.
    """
    rows = session.connection().execute(CASE_STATE_AND_TICKS, {"case_id": case_id}).all()
    case = rows[0]
    ticks = ticks_of(rows)
    done = {s for s, state in latest_states(ticks).items() if state.is_done}
    if "booked" in done:
        refused: CatchupError | None = None
    else:
        refused = _refusal(session, case, done, shown=shown, is_new=is_new)
    if "booked" in done or refused is not None:
        if record_changes:
            reconcile_if_complete(
                session, case, four_eyes, record_changes, ticks=latest_states(ticks)
            )
        return False, refused
    append_tick(session, ticks, case.id, "booked", True, user.id, at)
    reconcile_if_complete(session, case, four_eyes, record_changes, ticks=latest_states(ticks))
    log_event(
        "catchup_step",
        user=user,
        case=case,
        detail=f"{STEP_LABELS['booked']}: klar (med accessionsnumret)",
    )
    return True, None


def _refusal(
    session: Session, case: Any, done: set[str], *, shown: str, is_new: bool
) -> CatchupError | None:
    try:
        refuse_settled(case)
        refuse_done(session, case, "booked", done, shown=shown, confirm=False)
    except CatchupError as exc:
        return exc
    return None if is_new else CatchupError(BOOKED_SAME_NUMBER)
