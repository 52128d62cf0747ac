"""A radiologist's word that a report blank joined over a signed report says what it says.

Without it the blank is settled only by an addendum, which would be written to say "nothing to
add"; with it the case page's warning and the close's question go, and the audit trail keeps
who read it and when.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.errors import INCIDENT_ENDED
from ..cases.submissions import NOT_SENT, SentOnce, SubmitResult
from ..cases.waiting import REPORT_BLANK
from ..models import Case, Incident, User
from ..storage import lock_before_reading
from .detaching import NOT_JOINED_HERE
from .errors import BlankError
from .over_signed import unsettled
from .queries import reserved_code_to_change

# Only whoever may sign a report may say that the paper one reads the same.
READERS = ("radiologist",)
NOT_A_READER = "Bara radiologer markerar en utlåtandeblankett som läst."
READ_SAME_DETAIL = "Utlåtandeblankett %s: läst, samma som det signerade utlåtandet"


def mark_read_same(
    *, user: User, code: str, case_id: int, sent: SentOnce = NOT_SENT
) -> Case | SubmitResult:
    """Record that the report blank joined over the case's signed report says the same.

    A blank already settled (by a colleague's tap or an addendum since) records nothing more.
    Refused once the incident has ended: the blank is then read against the report in RIS.
    """
    if user.role not in READERS:
        raise BlankError(NOT_A_READER)

    def write(session: Session) -> Case:
        # The case first, as the join and the close take it: a close in flight is waited for.
        lock_before_reading(session, Case.__table__, case_id)
        case = session.get(Case, case_id)
        if case is None or case.site_id != user.site_id:
            raise BlankError("Ärendet finns inte.")
        reserved = reserved_code_to_change(session, user.site_id, code)
        if reserved is None or reserved.doc_kind != REPORT_BLANK:
            raise BlankError("Koden finns inte.")
        if reserved.used_case_id != case.id:
            raise BlankError(NOT_JOINED_HERE)
        if session.scalar(select(Incident.ended_at).where(Incident.id == case.incident_id)):
            raise BlankError(INCIDENT_ENDED)
        if not reserved.joined_over_signed or not unsettled(session, [(case.id, code)]):
            return case
        reserved.joined_over_signed = False
        log_event("blank_read_same", user=user, case=case, detail=READ_SAME_DETAIL % code)
        return case

    return sent.store(user.id, "blank_read_same", write, BlankError)
