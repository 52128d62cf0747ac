"""The board's rows: one query, sorted by stage, priority and waiting time in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, func, literal, select

from ..cases.display import mask_patient
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


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]
    total: int  # rows matching the filters, shown or not


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
UNKNOWN_RANK = 99


def _filtered(stmt: Select, incident_id: int, modality: str, status: str) -> Select:  # type: ignore[type-arg]
    stmt = stmt.where(Case.incident_id == incident_id)
    if modality:
        stmt = stmt.where(Case.modality == modality)
    if status == "active":
        stmt = stmt.where(Case.status.not_in(("closed", "cancelled")))
    elif status:
        stmt = stmt.where(Case.status == status)
    return stmt


def board_rows(
    incident_id: int,
    config: SiteConfig,
    *,
    modality: str = "",
    status: str = "",
    limit: int | None = None,
) -> Board:
    """Cases of an incident for the board, filtered, most urgent and longest waiting first.

    Only the shown columns of the shown rows are loaded: every tablet refreshes the board every
    few seconds, and building hundreds of Case objects to show sixty made it the slowest page.
    """
    stage = case(_STAGES, value=Case.status, else_=0)
    ranks = {p.code: p.rank for p in config.priorities}
    rank = case(ranks, value=Case.priority, else_=UNKNOWN_RANK) if ranks else literal(UNKNOWN_RANK)
    stmt = _filtered(
        select(
            Case.id,
            Case.code,
            Case.patient_name,
            Case.patient_id_kind,
            Case.patient_id,
            Case.modality,
            Case.priority,
            Case.status,
            Referral.exam_text,
            Referral.arrived_at,
        ).join(Referral, Referral.case_id == Case.id),
        incident_id,
        modality,
        status,
    ).order_by(stage, rank, Referral.arrived_at, Case.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    labels = {p.code: p.label for p in config.priorities}
    now = utcnow()
    rows = [
        BoardRow(
            case_id=r.id,
            code=r.code,
            patient=mask_patient(r.patient_name, r.patient_id_kind, r.patient_id),
            exam=r.exam_text,
            modality=r.modality,
            priority=r.priority,
            priority_label=labels.get(r.priority, r.priority),
            priority_rank=ranks.get(r.priority, UNKNOWN_RANK),
            status=r.status,
            arrived_at=r.arrived_at,
            waiting_minutes=max(0, int((now - r.arrived_at).total_seconds() // 60)),
        )
        for r in db.session.execute(stmt)
    ]
    if limit is None or len(rows) < limit:
        return Board(rows, len(rows))
    count = _filtered(
        select(func.count()).select_from(Case).join(Referral, Referral.case_id == Case.id),
        incident_id,
        modality,
        status,
    )
    return Board(rows, int(db.session.scalar(count) or 0))
