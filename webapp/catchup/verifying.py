"""The second secretary's check of a keyed case against the paper (four eyes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, scoped_session

from ..accession_rule import lacks_accession
from ..audit import log_event
from ..cases.submissions import NOT_SENT, SentOnce
from ..models import Case, RecordVersion, User, utcnow
from ..storage import lock_before_reading
from .once import write_action_once
from .services import (
    CatchupError,
    _case_state,
    _step_states,
    reconcile_if_complete,
    refuse_settled,
)
from .shown import shown_token

STALE_CHECK = (
    "Ärendet har ändrats sedan sidan öppnades (t.ex. utlåtandet eller patientens identitet). "
    "Kontrollen är inte registrerad: jämför uppgifterna nedan med papperet och kontrollera igen."
)
STALE_NUMBERS = (
    "RIS-numren har ändrats sedan sidan öppnades. Kontrollen är inte registrerad: jämför "
    "RIS-numren nedan med RIS och kontrollera igen."
)
CHECK_WITHOUT_ACCESSION = (
    "Ärendet står som bokat i RIS utan accessionsnummer. Ange accessionsnumret innan kontrollen."
)
ALREADY_CHECKED = "Ärendet är redan kontrollerat."
# Beside the check, disabled, on the page of whoever keyed the case (four eyes).
OWN_KEYING_NOTE = "Du förde in ärendet – en annan sekreterare kontrollerar det."


class _Tick(Protocol):
    @property
    def user_id(self) -> int | None: ...
    @property
    def is_done(self) -> bool: ...


# Who last saved the case's RIS numbers: each save keeps the earlier numbers as a version.
_NUMBERS_SAVED_BY = (
    select(RecordVersion.changed_by_id)
    .where(RecordVersion.entity == "catchup", RecordVersion.case_id == bindparam("case_id"))
    .order_by(RecordVersion.id.desc())
    .limit(1)
)


def keyer_ids(
    session: Session | scoped_session[Any], case_id: int, ticks: Mapping[str, _Tick]
) -> set[int | None]:
    """Who keyed the case (ticks: its steps' latest ticks), and so may not check it."""
    keyers: set[int | None] = {t.user_id for t in ticks.values() if t.is_done}
    # The RIS numbers are keyed too: whoever saved them last does not check them.
    keyers.add(session.scalar(_NUMBERS_SAVED_BY, {"case_id": case_id}))
    return keyers


def verify_case(
    *,
    case_id: int,
    user: User,
    four_eyes: bool,
    shown: str = "",
    numbers: tuple[str, str] | None = None,
    submit: SentOnce = NOT_SENT,
) -> bool:
    """The second secretary's check of a keyed case against the paper (four eyes).

    shown: the shown_token of the page the check came from; from a page older than what was
    keyed (a new signature or identity keyed since), it would vouch for what was not seen.
    numbers: the RIS accession and exam number that page showed; other numbers saved since
    name another exam in RIS than the one checked.
    submit: the check's form; sent again (a double tap), it is answered as the first time.
    Returns True for such a replay.
    """

    def write(session: Session) -> None:
        lock_before_reading(session, Case.__table__, case_id)
        case = _case_state(session, case_id)
        refuse_settled(case)
        if case.keyed_at is None:
            raise CatchupError("Ärendet är inte färdigregistrerat i RIS än.")
        if case.verified_at is not None:
            # A colleague's page opened before the check (a second tap of the same form is
            # answered as the first): the check made stands, and its name stays in the exports.
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
        # Without four eyes (turned off after the case was keyed) the one secretary closes it.
        if four_eyes and user.id in keyer_ids(session, case.id, ticks):
            raise CatchupError(
                "Kontrollen ska göras av någon annan än den som registrerade ärendet."
            )
        verified = {"verified_at": utcnow(), "verified_by_id": user.id}
        reconcile_if_complete(session, case, four_eyes, verified, ticks=ticks)
        log_event("catchup_verify", user=user, case=case)

    return write_action_once(
        submit, kind="catchup_verify", case_id=case_id, user_id=user.id, write=write
    )
