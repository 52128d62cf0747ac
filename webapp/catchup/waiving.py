"""Taking a case out of the catch-up with a reason (a waiver), and its second pair of eyes."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.errors import INCIDENT_ENDED
from ..cases.submissions import NOT_SENT, SentOnce
from ..models import Case, User, utcnow
from ..storage import lock_before_reading
from .once import write_action_once
from .ris_numbers import CANCELLED
from .services import (
    CatchupError,
    _case_state,
    clear_waiver,
    load_open_case,
    reconcile_if_complete,
    record_of,
)
from .shown import shown_token

ALREADY_RECONCILED = "Ärendet är redan avstämt: det är inlagt i RIS och kontrollerat."
STALE_WAIVER = (
    "Ärendet har ändrats sedan sidan öppnades (t.ex. undersökningen eller utlåtandet). Det är "
    "inte undantaget: läs uppgifterna på sidan och undanta det igen om orsaken fortfarande gäller."
)


class StaleWaiver(CatchupError):
    """The case changed since the page was opened: the waiver box stays, the reason is asked
    again beside it."""

    def __init__(self) -> None:
        super().__init__(STALE_WAIVER)


NOT_WAIVED = "Ärendet är inte undantaget."
WAIVER_STANDS = "Undantaget gäller redan: ärendet är avstämt."
OWN_WAIVER = (
    "Du gjorde undantaget själv. Det ska bekräftas av någon annan (fyra ögon): be en kollega "
    "bekräfta det, eller häv undantaget om det var fel."
)
STALE_CONFIRMATION = (
    "Ärendet har ändrats sedan sidan öppnades (t.ex. undersökningen eller utlåtandet). "
    "Undantaget är inte bekräftat: läs uppgifterna nedan och bekräfta igen om orsaken "
    "fortfarande gäller."
)
STALE_LIFT = (
    "Ärendet eller undantaget har ändrats sedan sidan öppnades (t.ex. undantaget bekräftat "
    "eller gjort om). Undantaget är inte hävt: läs uppgifterna nedan och häv det igen om det "
    "fortfarande ska hävas."
)


class StaleLift(CatchupError):
    """A lift from a page older than the case or its waiver: the lift box shows it, open."""

    def __init__(self) -> None:
        super().__init__(STALE_LIFT)


CHANGED_WAIVER = (
    "Undantaget har hävts och gjorts om sedan sidan öppnades. Det är inte bekräftat: läs "
    "orsaken nedan och bekräfta igen om den stämmer."
)


def waive_case(
    *,
    case_id: int,
    user: User,
    reason: str,
    four_eyes: bool,
    shown: str = "",
    submit: SentOnce = NOT_SENT,
) -> bool:
    """Take a case out of the catch-up with a reason (e.g. keyed directly in RIS).

    shown: the shown_token of the page the waiver came from; the reason was given for the case
    as that page showed it (e.g. 'never examined' before the exam was documented).
    four_eyes: the waiver then waits for a second user's confirmation (confirm_waiver) before
    the case counts as reconciled; one person alone could otherwise take a case out of the
    catch-up wrongly, and the incident end with it never in RIS.
    submit: the waiver's form; sent again (a double tap), it is answered as the first time.
    Returns True for such a replay.
    """
    if not reason.strip():
        raise CatchupError("Ange varför ärendet undantas.")

    def write(session: Session) -> None:
        # PostgreSQL: the other writes of the case wait for the waiver and read it (a tick is
        # then refused), and only one of them opens the catch-up record.
        lock_before_reading(session, Case.__table__, case_id)
        case = load_open_case(session, case_id)
        record = record_of(session, case)
        if record.waived_at is not None:
            raise CatchupError("Ärendet är redan undantaget.")
        # The page offers no waiver for these; a request made by hand must not rewrite them.
        if case.status == "cancelled":
            raise CatchupError(CANCELLED)
        if case.status == "closed" or record.reconciled_at is not None:
            # Keyed and checked: a waiver would tell every export it was not put into RIS.
            raise CatchupError(ALREADY_RECONCILED)
        if shown and shown != shown_token(session, case.id):
            raise StaleWaiver()
        record.waived_at = utcnow()
        record.waived_by_id = user.id
        record.waive_reason = reason.strip()[:1000]
        if not four_eyes:
            record.reconciled_at = utcnow()
            case.status = "closed"
        case.updated_at = utcnow()
        log_event("catchup_waive", user=user, case=case, detail=reason)

    return write_action_once(
        submit,
        kind="catchup_waive",
        case_id=case_id,
        user_id=user.id,
        write=write,
        has_draft=True,
    )


def confirm_waiver(
    *,
    case_id: int,
    user: User,
    four_eyes: bool,
    shown: str = "",
    waived_shown: str = "",
    submit: SentOnce = NOT_SENT,
) -> bool:
    """A second user confirms a waiver (four eyes): only then does the case count as reconciled.

    shown: the shown_token of the page the confirmation came from; the reason was judged
    against the case as that page showed it. waived_shown: when the waiver that page showed
    was given, so a waiver lifted and made again meanwhile is not confirmed unread.
    submit: the confirmation's form; sent again (a double tap), it is answered as the first
    time. Returns True for such a replay.
    """

    def write(session: Session) -> None:
        # PostgreSQL: a lift or a reopening meanwhile is read before the waiver is confirmed,
        # and two confirmations are taken one after the other (the second is refused, unless
        # it is the same form sent again: that is answered as the first).
        lock_before_reading(session, Case.__table__, case_id)
        case = load_open_case(session, case_id)
        record = case.catchup
        if record is None or record.waived_at is None:
            raise CatchupError(NOT_WAIVED)
        if case.status == "cancelled":
            raise CatchupError(CANCELLED)
        if record.reconciled_at is not None:
            raise CatchupError(WAIVER_STANDS)
        if shown and shown != shown_token(session, case.id):
            raise CatchupError(STALE_CONFIRMATION)
        if waived_shown and waived_shown != waiver_stamp(
            record.waived_at, record.waiver_confirmed_at
        ):
            raise CatchupError(CHANGED_WAIVER)
        # Without four eyes (turned off since the waiver was given) its author confirms it.
        if four_eyes and user.id == record.waived_by_id:
            raise CatchupError(OWN_WAIVER)
        now = utcnow()
        record.waiver_confirmed_at = now
        record.waiver_confirmed_by_id = user.id
        record.reconciled_at = now
        record.updated_at = now
        case.status = "closed"
        case.updated_at = now
        log_event("catchup_waive_confirm", user=user, case=case, detail=record.waive_reason)

    return write_action_once(
        submit, kind="catchup_waive_confirm", case_id=case_id, user_id=user.id, write=write
    )


def waiver_stamp(waived_at: datetime | None, confirmed_at: datetime | None = None) -> str:
    """The waiver as a confirmation or lift form carries it: when it was given and confirmed
    (see confirm_waiver's and lift_waiver's waived_shown)."""
    if waived_at is None:
        return ""
    return waived_at.isoformat() + (f"|{confirmed_at.isoformat()}" if confirmed_at else "")


def lift_waiver(
    *,
    case_id: int,
    user: User,
    four_eyes: bool,
    shown: str = "",
    waived_shown: str = "",
    submit: SentOnce = NOT_SENT,
) -> bool:
    """Put a waived case back into the catch-up (a waiver made by mistake, e.g. on the wrong case).

    Left standing, the wrong case would count as reconciled and the incident could end with it
    never keyed into RIS. Its status is derived again from the steps ticked so far. A waiver
    still waiting for its confirmation is lifted the same way, and the wait with it.
    shown, waived_shown: the shown_token and waiver_stamp of the page the lift came from; from
    an older page it would undo what that page never showed (the waiver confirmed, or lifted
    and made again with another reason).
    submit: the lift's form; sent again (a double tap), it is answered as the first time.
    Returns True for such a replay.
    """

    def write(session: Session) -> None:
        # PostgreSQL: a check made meanwhile is read before the status is derived again, or the
        # case would be left keyed but not reconciled though checked.
        lock_before_reading(session, Case.__table__, case_id)
        case = _case_state(session, case_id)
        if case.incident_ended_at is not None:
            raise CatchupError(INCIDENT_ENDED)
        if case.waived_at is None:
            raise CatchupError(NOT_WAIVED)
        if shown and shown != shown_token(session, case.id):
            raise StaleLift()
        if waived_shown and waived_shown != waiver_stamp(case.waived_at, case.waiver_confirmed_at):
            raise StaleLift()
        clear_waiver(session, case.record_id)
        state = SimpleNamespace(**case._mapping)
        state.waived_at = None
        # The waiver stood for the reconciliation: without it only the steps can give one.
        reconcile_if_complete(session, state, four_eyes, {"reconciled_at": None})
        log_event("catchup_unwaive", user=user, case=case, detail=case.waive_reason)

    return write_action_once(
        submit, kind="catchup_unwaive", case_id=case_id, user_id=user.id, write=write
    )
