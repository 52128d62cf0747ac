"""Taking a case out of the catch-up with a reason (a waiver)."""

from __future__ import annotations

from ..audit import log_event
from ..models import User, utcnow
from ..storage import write_transaction
from .services import CatchupError, load_open_case, record_of

ALREADY_RECONCILED = "Ärendet är redan avstämt: det är inlagt i RIS och kontrollerat."


def waive_case(*, case_id: int, user: User, reason: str) -> None:
    """Take a case out of the catch-up with a reason (e.g. keyed directly in RIS)."""
    if not reason.strip():
        raise CatchupError("Ange varför ärendet undantas.")
    with write_transaction() as session:
        case = load_open_case(session, case_id)
        record = record_of(session, case)
        if record.waived_at is not None:
            raise CatchupError("Ärendet är redan undantaget.")
        # The page offers no waiver for these; a request made by hand must not rewrite them.
        if case.status == "cancelled":
            raise CatchupError("Ärendet är makulerat och ska inte läggas in i RIS.")
        if case.status == "closed" or record.reconciled_at is not None:
            # Keyed and checked: a waiver would tell every export it was not put into RIS.
            raise CatchupError(ALREADY_RECONCILED)
        record.waived_at = utcnow()
        record.waived_by_id = user.id
        record.waive_reason = reason.strip()[:1000]
        record.reconciled_at = utcnow()
        if case.status != "cancelled":
            case.status = "closed"
        case.updated_at = utcnow()
        log_event("catchup_waive", user=user, case=case, detail=reason)
