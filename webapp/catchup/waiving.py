"""Taking a case out of the catch-up with a reason (a waiver)."""

from __future__ import annotations

from types import SimpleNamespace

from ..audit import log_event
from ..cases.errors import INCIDENT_ENDED
from ..models import Case, CatchupRecord, User, utcnow
from ..storage import lock_before_reading, update_by_key, write_transaction
from .ris_numbers import CANCELLED
from .services import CatchupError, _case_state, load_open_case, reconcile_if_complete, record_of
from .shown import shown_token

ALREADY_RECONCILED = "Ärendet är redan avstämt: det är inlagt i RIS och kontrollerat."
STALE_WAIVER = (
    "Ärendet har ändrats sedan sidan öppnades (t.ex. undersökningen eller utlåtandet). Det är "
    "inte undantaget: läs uppgifterna nedan och undanta det igen om orsaken fortfarande gäller."
)


def waive_case(*, case_id: int, user: User, reason: str, shown: str = "") -> None:
    """Take a case out of the catch-up with a reason (e.g. keyed directly in RIS).

    shown: the shown_token of the page the waiver came from; the reason was given for the case
    as that page showed it (e.g. 'never examined' before the exam was documented).
    """
    if not reason.strip():
        raise CatchupError("Ange varför ärendet undantas.")
    with write_transaction() as session:
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
            raise CatchupError(STALE_WAIVER)
        record.waived_at = utcnow()
        record.waived_by_id = user.id
        record.waive_reason = reason.strip()[:1000]
        record.reconciled_at = utcnow()
        if case.status != "cancelled":
            case.status = "closed"
        case.updated_at = utcnow()
        log_event("catchup_waive", user=user, case=case, detail=reason)


def lift_waiver(*, case_id: int, user: User, four_eyes: bool) -> None:
    """Put a waived case back into the catch-up (a waiver made by mistake, e.g. on the wrong case).

    Left standing, the wrong case would count as reconciled and the incident could end with it
    never keyed into RIS. Its status is derived again from the steps ticked so far.
    """
    with write_transaction() as session:
        # PostgreSQL: a check made meanwhile is read before the status is derived again, or the
        # case would be left keyed but not reconciled though checked.
        lock_before_reading(session, Case.__table__, case_id)
        case = _case_state(session, case_id)
        if case.incident_ended_at is not None:
            raise CatchupError(INCIDENT_ENDED)
        if case.waived_at is None:
            raise CatchupError("Ärendet är inte undantaget.")
        update_by_key(
            session,
            CatchupRecord.__table__,
            case.record_id,
            {"waived_at": None, "waived_by_id": None, "waive_reason": ""},
        )
        state = SimpleNamespace(**case._mapping)
        state.waived_at = None
        # The waiver stood for the reconciliation: without it only the steps can give one.
        reconcile_if_complete(session, state, four_eyes, {"reconciled_at": None})
        log_event("catchup_unwaive", user=user, case=case, detail=case.waive_reason)
