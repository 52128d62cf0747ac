"""Recording that a cancelled case's order in RIS or images in PACS were cleaned up there.

The app cannot see RIS or PACS: whoever cancelled or removed them there says so here, with a
note of what was done. The record answers the cancellation as it stands (ris_pacs_left).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.submissions import NOT_SENT, SentOnce
from ..models import Case, RisPacsCleanUp, User
from ..ris_pacs_left import of_case
from ..storage import insert_row
from . import STAFF
from .once import write_action_once
from .services import CaseNotFound, CatchupError

WRONG_ROLE = "Uppstädningen i RIS/PACS registreras av sekreterare och administratörer."
NOT_CANCELLED = "Ärendet är inte makulerat. Det finns inget att städa upp i RIS/PACS."
NOTHING_LEFT = "Ärendet har ingen beställning i RIS och inga bilder i PACS att städa upp."
ALREADY_CLEANED = "Uppstädningen i RIS/PACS är redan registrerad av %(name)s."
NOTE_LENGTH = 300


class AlreadyCleanedUp(CatchupError):
    """Recorded meanwhile from another tablet: what was to be done is done."""


def record_clean_up(
    *, case_id: int, user: User, note: str = "", submit: SentOnce = NOT_SENT
) -> None:
    """Record that the case's traces in RIS and PACS were cleaned up there; once per form key.

    Taken after the incident's end too: the clean-up is done in RIS and PACS, whenever.
    """
    if user.role not in STAFF:
        raise CatchupError(WRONG_ROLE)
    note = note.strip()[:NOTE_LENGTH]

    def write(session: Session) -> None:
        case = session.get(Case, case_id, with_for_update=True)
        if case is None or case.site_id != user.site_id:
            raise CaseNotFound()
        if case.status != "cancelled" or case.cancelled_at is None:
            raise CatchupError(NOT_CANCELLED)
        left = of_case(case)
        if left is None:
            raise CatchupError(NOTHING_LEFT)
        earlier = session.scalar(
            select(User.display_name)
            .join(RisPacsCleanUp, RisPacsCleanUp.user_id == User.id)
            .where(
                RisPacsCleanUp.case_id == case.id,
                RisPacsCleanUp.cancelled_at == case.cancelled_at,
            )
        )
        if earlier is not None:
            raise AlreadyCleanedUp(ALREADY_CLEANED, name=earlier)
        insert_row(
            session,
            RisPacsCleanUp.__table__,
            {
                "case_id": case.id,
                "cancelled_at": case.cancelled_at,
                "user_id": user.id,
                "note": note,
            },
        )
        traces = [f"accessionsnummer {left.accession}"] if left.accession else []
        if left.images_sent:
            traces.append(f"bilder i PACS, tillfälligt id {left.temp_id or '–'}")
        detail = "; ".join(traces) + (f": {note}" if note else "")
        log_event("ris_pacs_clean_up", user=user, case=case, detail=detail)

    write_action_once(
        submit, kind="ris_pacs_clean_up", case_id=case_id, user_id=user.id, write=write
    )
