"""The board's rows: one query, sorted by priority then waiting time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..cases.display import patient_masked
from ..extensions import db
from ..models import Case, Referral, utcnow
from ..siteconfig import SiteConfig


@dataclass(frozen=True)
class BoardRow:
    case_id: int
    code: str
    patient: str
    exam: str
    modality: str
    priority: str
    priority_label: str
    priority_rank: int
    status: str
    arrived_at: datetime
    waiting_minutes: int


def board_rows(
    incident_id: int, config: SiteConfig, *, modality: str = "", status: str = ""
) -> list[BoardRow]:
    """Cases of an incident for the board, filtered, most urgent and longest waiting first."""
    stmt = (
        select(Case, Referral.exam_text, Referral.arrived_at)
        .join(Referral, Referral.case_id == Case.id)
        .where(Case.incident_id == incident_id)
    )
    if modality:
        stmt = stmt.where(Case.modality == modality)
    if status == "active":
        stmt = stmt.where(Case.status.not_in(("closed", "cancelled")))
    elif status:
        stmt = stmt.where(Case.status == status)
    now = utcnow()
    rows = [
        BoardRow(
            case_id=case.id,
            code=case.code,
            patient=patient_masked(case),
            exam=exam_text,
            modality=case.modality,
            priority=case.priority,
            priority_label=config.priority_label(case.priority),
            priority_rank=config.priority_rank(case.priority),
            status=case.status,
            arrived_at=arrived_at,
            waiting_minutes=max(0, int((now - arrived_at).total_seconds() // 60)),
        )
        for case, exam_text, arrived_at in db.session.execute(stmt)
    ]
    rows.sort(key=lambda r: (_stage(r.status), r.priority_rank, r.arrived_at))
    return rows


# Cases still waiting for the department come first; those only waiting for RIS keying next.
_STAGES = {
    "referral_received": 0,
    "exam_done": 0,
    "report_preliminary": 0,
    "report_definitive": 1,
    "keyed_in_ris": 1,
    "closed": 2,
    "cancelled": 2,
}


def _stage(status: str) -> int:
    return _STAGES.get(status, 0)
