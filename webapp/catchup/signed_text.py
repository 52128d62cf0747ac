"""Whether a report's text is what was signed: the catch-up keys only signed text into RIS."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, scoped_session

from ..models import Report, ReportSignature
from ..reporting.signed import content_hash

UNSIGNED_EDIT = (
    "Utlåtandet har ändrats efter signeringen och ändringen är inte signerad. Radiologen "
    "signerar det igen innan det läggs in i RIS."
)
_REPORT_AND_LAST_SIGNATURE = (
    select(Report.sections, ReportSignature.content_hash)
    .join(ReportSignature, ReportSignature.report_id == Report.id)
    .where(
        Report.case_id == bindparam("case_id"),
        ReportSignature.kind.in_(("preliminary", "definitive")),
    )
    .order_by(ReportSignature.signed_at.desc(), ReportSignature.id.desc())
    .limit(1)
)


def has_unsigned_edit(session: Session | scoped_session[Any], case_id: int) -> bool:
    """Whether the report's text differs from what was last signed (saved, not signed again).

    A preliminary report can be saved again without a signature; its text is then no one's
    signed report, and must not be keyed into RIS as if it were.
    """
    row = session.execute(_REPORT_AND_LAST_SIGNATURE, {"case_id": case_id}).first()
    return row is not None and content_hash(row.sections) != row.content_hash
