"""Detaching a documentation or report blank joined to the wrong case."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.errors import INCIDENT_ENDED
from ..cases.submissions import NOT_SENT, SentOnce, SubmitResult
from ..cases.waiting import DOC_BLANK
from ..models import AuditEvent, Case, Incident, RecordVersion, ReservedCode, User
from ..storage import insert_row, lock_before_reading
from .queries import reserved_code_to_change
from .services import CASE_PART_KINDS, BlankError

NO_REASON = "Ange varför blanketten kopplas loss."
NOT_JOINED_HERE = "Blanketten är inte kopplad till det här ärendet."
DOC_TYPED_IN = (
    "Dokumentationen från blanketten är redan införd i ärendet, så blanketten kan inte kopplas "
    "loss: ärendet skulle behålla en annan patients undersökning utan att det syns varifrån den "
    "kom. Hör blanketten till ett annat ärende: rätta först dokumentationen här (Ändra "
    "dokumentation, med orsak) och för in blanketten i rätt ärende från papperet."
)
REPORT_TYPED_IN = (
    "Utlåtandet från blanketten är redan infört i ärendet, så blanketten kan inte kopplas loss: "
    "ärendet skulle behålla en annan patients utlåtande utan att det syns varifrån det kom. Hör "
    "blanketten till ett annat ärende: en radiolog rättar först utlåtandet här (ett signerat "
    "med ett tillägg), och utlåtandet förs in i rätt ärende från papperet."
)
# The case history's name for the blank (entity "blank", field "blank").
VERSION_ENTITY = "blank"


class BlankTypedIn(BlankError):
    """The blank's content is already in the case: detaching would hide where it came from."""


def detach_blank(
    *, user: User, code: str, case_id: int, reason: str, sent: SentOnce = NOT_SENT
) -> Case | SubmitResult:
    """Undo the joining of a documentation or report blank to a case, with a reason.

    Its code then leads nowhere at the scan station again and can be joined to the right
    case; the wrong case no longer waits for the blank. Refused (BlankTypedIn) once what the
    blank holds has been typed into the case. The same form sent again detaches nothing more.
    """
    if not reason.strip():
        raise BlankError(NO_REASON)

    def write(session: Session) -> Case:
        # The case, then the blank, as the join and the close take them (incidents/ending.py).
        lock_before_reading(session, Case.__table__, case_id)
        reserved = reserved_code_to_change(session, user.site_id, code)
        if reserved is None or reserved.doc_kind not in CASE_PART_KINDS:
            raise BlankError("Koden finns inte.")
        if reserved.used_case_id != case_id:
            # Detached, or joined elsewhere, from another tablet since this page was drawn.
            raise BlankError(NOT_JOINED_HERE)
        case = session.get(Case, case_id)
        if case is None or case.site_id != user.site_id:
            raise BlankError("Ärendet finns inte.")
        if session.scalar(select(Incident.ended_at).where(Incident.id == case.incident_id)):
            raise BlankError(INCIDENT_ENDED)
        _refuse_if_typed_in(session, reserved, case)
        label = f"{CASE_PART_KINDS[reserved.doc_kind]} {reserved.code}"
        reserved.used_case_id = None
        reserved.joined_over_signed = False
        _record_version(session, reserved, case, label, user, reason.strip())
        log_event(
            "blank_detach",
            user=user,
            case=case,
            detail=f"{label} ← {case.code}: {reason.strip()}"[:1000],
        )
        return case

    return sent.store(user.id, "blank_detach", write, BlankError)


def _attached_at(session: Session, reserved: ReservedCode, case: Case) -> datetime | None:
    """When the blank was last joined to the case, by its audit row (the code keeps no time)."""
    return session.scalar(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.action == "blank_attach",
            AuditEvent.case_id == case.id,
            AuditEvent.detail.contains(f" {reserved.code} → "),
        )
    )


def _refuse_if_typed_in(session: Session, reserved: ReservedCode, case: Case) -> None:
    """A blank is typed in once the part it holds was written in the case after it joined.

    Joining one opens that part's form (the exam form; a radiologist's report screen, or the
    paper report a secretary enters), so a documentation saved or a report begun, even as a
    draft, since then was typed from it. One written before it joined was not.
    """
    attached_at = _attached_at(session, reserved, case)
    written = case.exam if reserved.doc_kind == DOC_BLANK else case.report
    if written is None:
        return
    if attached_at is None or written.updated_at >= attached_at:
        raise BlankTypedIn(DOC_TYPED_IN if reserved.doc_kind == DOC_BLANK else REPORT_TYPED_IN)


def _record_version(
    session: Session, reserved: ReservedCode, case: Case, label: str, user: User, reason: str
) -> None:
    """The case's history shows the detach as a change: the blank joined, then none."""
    earlier = session.scalar(
        select(func.count(RecordVersion.id)).where(
            RecordVersion.entity == VERSION_ENTITY, RecordVersion.entity_id == reserved.id
        )
    )
    insert_row(
        session,
        RecordVersion.__table__,
        {
            "entity": VERSION_ENTITY,
            "entity_id": reserved.id,
            "version": int(earlier or 0) + 1,
            "case_id": case.id,
            "data": {"blank": label},
            "changes": {"blank": [label, None]},
            "reason": reason,
            "changed_by_id": user.id,
        },
    )
