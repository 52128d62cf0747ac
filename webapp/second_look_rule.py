"""Whether a case's report waits for its second look in PACS.

A report read on the modality's own screen (PACS down) was read on a lesser screen without the
earlier exams; once the images are in PACS a radiologist looks again (reporting/second_look.py).
Until then the board, the case page and the incident's follow-up say so. It does not hold the
incident's close: it is clinical follow-up, not keying into RIS.

It waits on where the images were read as last signed (the fax said "Eftergranskas i PACS"),
not on the report's own answer, which a save since without a signature may have changed: that
save went out to no one. A later signature read in PACS ends the wait; an addendum signs only
itself. Report.awaits_second_look is the same rule in Python, for a report already loaded.

Kept out of the packages, as pacs_rule: the board and the follow-up read it without importing
the reporting views.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, ScalarSelect, and_, select

from .extensions import db
from .models import Case, Report, ReportSignature
from .models.report import READ_ON_MODALITY, SIGNING_KINDS

AWAITS_SECOND_LOOK = "Eftergranska i PACS"


def signed_read_on() -> ScalarSelect[str]:
    """Where the report's images were read as last signed; correlated with Report."""
    return (
        select(ReportSignature.read_on)
        .where(ReportSignature.report_id == Report.id, ReportSignature.kind.in_(SIGNING_KINDS))
        # The last written, whatever the clock said (as reporting/signed.py).
        .order_by(ReportSignature.id.desc())
        .limit(1)
        .correlate(Report)
        .scalar_subquery()
    )


def _waiting() -> ColumnElement[bool]:
    return and_(
        Report.state.in_(SIGNING_KINDS),
        Report.second_look_at.is_(None),
        signed_read_on() == READ_ON_MODALITY,
    )


def awaits_second_look_clause() -> ColumnElement[bool]:
    """A case not cancelled whose signed report waits for its second look; correlated with Case."""
    waiting = (
        select(Report.id).where(Report.case_id == Case.id, _waiting()).correlate(Case).exists()
    )
    return and_(Case.status != "cancelled", waiting)


def awaiting_second_look_codes(incident_id: int) -> tuple[str, ...]:
    """The codes of the incident's cases still waiting for a second look, in their order."""
    return tuple(
        db.session.scalars(
            select(Case.code)
            .join(Report, Report.case_id == Case.id)
            .where(Case.incident_id == incident_id, Case.status != "cancelled", _waiting())
            .order_by(Case.id)
        )
    )
