"""What a cancelled case may have left in RIS or PACS, for someone to clean up there.

A case cancelled after the secretary saved its RIS accession has an order in RIS, and one
whose exam's images were sent to PACS has images there under the modality's temporary ID.
Cancelling here touches neither: the cancel form warns before, and the catch-up batch and the
follow-up list them for whoever cleans up there, who records it (catchup/clean_up.py). Until
then the case is work left: the batch counts it and the incident cannot end over it.

Kept out of the packages, as pacs_rule: the case page, the catch-up and the follow-up read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, or_, select

from .extensions import db
from .identity import format_patient_id
from .models import Case, CatchupRecord, ExamRecord, ImageRelease, RisPacsCleanUp, User


@dataclass(frozen=True)
class LeftBehind:
    """A case's traces in RIS and PACS ("" where there is none)."""

    case_id: int
    code: str
    patient_name: str
    patient_number: str
    accession: str
    temp_id: str
    images_sent: bool
    # Recorded as cleaned up, for the cancellation as it stands: by whom ("" if not) and when.
    cleaned_by: str = ""
    cleaned_at: datetime | None = None
    # Older data only (cancelling a released case is refused now): its release is still to be
    # written in the order's referral notes in RIS, so the order is not to go first.
    images_released: bool = False

    @property
    def is_cleaned(self) -> bool:
        return self.cleaned_at is not None


def left_behind(
    case_id: int,
    code: str,
    *,
    accession: str | None,
    pacs_status: str | None,
    temp_id: str | None,
    patient_name: str = "",
    patient_number: str = "",
    cleaned_by: str = "",
    cleaned_at: datetime | None = None,
    images_released: bool = False,
) -> LeftBehind | None:
    """What the case left in RIS or PACS; None for nothing."""
    accession = (accession or "").strip()
    sent = pacs_status == "yes"
    if not accession and not sent:
        return None
    return LeftBehind(
        case_id=case_id,
        code=code,
        patient_name=patient_name,
        patient_number=patient_number,
        accession=accession,
        temp_id=(temp_id or "").strip() if sent else "",
        images_sent=sent,
        cleaned_by=cleaned_by,
        cleaned_at=cleaned_at,
        images_released=images_released,
    )


def of_case(case: Case) -> LeftBehind | None:
    """What a loaded case has in RIS or PACS."""
    exam, record = case.exam, case.catchup
    return left_behind(
        case.id,
        case.code,
        accession=record.ris_accession if record else None,
        pacs_status=exam.pacs_status if exam else None,
        temp_id=exam.modality_temp_id if exam else None,
    )


def cancelled_to_clean_up(incident_ids: Sequence[int]) -> list[LeftBehind]:
    """The incidents' cancelled cases with an accession saved or images sent, oldest first,
    those recorded as cleaned up too."""
    if not incident_ids:
        return []
    rows = db.session.execute(
        select(
            Case.id,
            Case.code,
            Case.patient_name,
            Case.patient_id_kind,
            Case.patient_id,
            CatchupRecord.ris_accession,
            ExamRecord.pacs_status,
            ExamRecord.modality_temp_id,
            RisPacsCleanUp.recorded_at,
            User.display_name,
            exists().where(ImageRelease.case_id == Case.id).label("released"),
        )
        .outerjoin(CatchupRecord, CatchupRecord.case_id == Case.id)
        .outerjoin(ExamRecord, ExamRecord.case_id == Case.id)
        # Of the cancellation as it stands: one undone and made again is cleaned up anew.
        .outerjoin(
            RisPacsCleanUp,
            and_(
                RisPacsCleanUp.case_id == Case.id,
                RisPacsCleanUp.cancelled_at == Case.cancelled_at,
            ),
        )
        .outerjoin(User, User.id == RisPacsCleanUp.user_id)
        .where(
            Case.incident_id.in_(incident_ids),
            Case.status == "cancelled",
            or_(CatchupRecord.ris_accession != "", ExamRecord.pacs_status == "yes"),
        )
        .order_by(Case.created_at, Case.id)
    ).all()
    found = (
        left_behind(
            r.id,
            r.code,
            accession=r.ris_accession,
            pacs_status=r.pacs_status,
            temp_id=r.modality_temp_id,
            patient_name=r.patient_name or "",
            patient_number=format_patient_id(r.patient_id_kind, r.patient_id),
            cleaned_by=r.display_name or "",
            cleaned_at=r.recorded_at,
            images_released=bool(r.released),
        )
        for r in rows
    )
    return [f for f in found if f is not None]


def not_cleaned_up(incident_id: int) -> list[LeftBehind]:
    """The incident's cancelled cases still to clean up in RIS/PACS: work that holds its end."""
    return [c for c in cancelled_to_clean_up([incident_id]) if not c.is_cleaned]
