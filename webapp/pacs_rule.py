"""Whether a case's images are only on the modality: its exam says they never reached PACS.

During a PACS or total outage the acute images stay on the modality, and modalities delete
old local images after some days. Until someone records that they were sent to PACS
(cases/images_sent.py), the board, the case page and the incident page say so, and the
catch-up does not tick them as matched in PACS.

Kept out of the packages, as waiver_rule: the board, the incident page and the catch-up read it
without importing the case views.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, select

from .extensions import db
from .models import Case, ExamRecord

# "failed" as "no": the radiographer tried, and PACS does not hold them either.
NOT_IN_PACS = ("no", "failed")
ONLY_ON_MODALITY = "Bilder finns bara på modaliteten"


def only_on_modality(pacs_status: str | None) -> bool:
    """Whether an exam documented with this PACS status left its images on the modality (None:
    no exam documented, where the app cannot tell)."""
    return pacs_status in NOT_IN_PACS


def images_not_in_pacs_clause() -> ColumnElement[bool]:
    """A case, cancelled or not, whose exam says its images are not in PACS; correlated with
    Case. The close asks about a cancelled one too: its exam was done all the same."""
    return (
        select(ExamRecord.id)
        .where(ExamRecord.case_id == Case.id, ExamRecord.pacs_status.in_(NOT_IN_PACS))
        .correlate(Case)
        .exists()
    )


def only_on_modality_clause() -> ColumnElement[bool]:
    """A case not cancelled whose exam says its images are not in PACS; correlated with Case."""
    return and_(Case.status != "cancelled", images_not_in_pacs_clause())


def only_on_modality_count(incident_id: int, *, cancelled: bool = False) -> int:
    """How many of the incident's cases (the cancelled ones if `cancelled`) have images only on
    the modality."""
    clause = (
        and_(Case.status == "cancelled", images_not_in_pacs_clause())
        if cancelled
        else only_on_modality_clause()
    )
    count = db.session.scalar(
        select(func.count()).select_from(Case).where(Case.incident_id == incident_id, clause)
    )
    return int(count or 0)
