"""What a catch-up page showed of a case: a tick sent from an older page is refused.

A secretary keys RIS from the page as it was opened. If the report is signed again or the
patient's identity is corrected meanwhile, a step ticked from that page would record as done
what RIS was given from the older text: nothing would reopen it, because the step was not yet
done when the change came. The page carries the versions it showed; a tick compares them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, scoped_session

from ..models import Addendum, Case, ExamRecord, Referral, Report, UrgentCall

STALE_PAGE = (
    "Ärendet har ändrats sedan sidan öppnades (t.ex. utlåtandet eller patientens identitet). "
    "Steget är inte markerat: kontrollera uppgifterna nedan och lägg in dem i RIS igen."
)

# A colleague's tick or RIS number changes none of these: only what gets keyed into RIS does.
_VERSIONS = (
    select(
        Case.version.label("case"),
        Referral.version.label("referral"),
        ExamRecord.version.label("exam"),
        Report.version.label("report"),
        select(func.count(Addendum.id))
        .where(Addendum.report_id == Report.id)
        .scalar_subquery()
        .label("addenda"),
        # A call about an urgent finding is keyed with the report.
        select(func.count(UrgentCall.id))
        .where(UrgentCall.case_id == Case.id)
        .scalar_subquery()
        .label("calls"),
    )
    .outerjoin(Referral, Referral.case_id == Case.id)
    .outerjoin(ExamRecord, ExamRecord.case_id == Case.id)
    .outerjoin(Report, Report.case_id == Case.id)
    .where(Case.id == bindparam("case_id"))
)


def shown_token(session: Session | scoped_session[Any], case_id: int) -> str:
    """The versions of what the catch-up page shows of a case, as one hidden-field value."""
    row = session.connection().execute(_VERSIONS, {"case_id": case_id}).first()
    if row is None:
        return ""
    return ".".join("-" if v is None else str(v) for v in row)
