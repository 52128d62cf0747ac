"""Reviewer answers entered in RIS on the wrong case, for the RIS administrator to remove there.

An answer recorded on the wrong case and handled by the RIS administrator sits on that case in
RIS once its receipt is undone (routines/reviewer_undo_services.py). As a cancelled case's
order left in RIS (ris_pacs_left), it is listed until the administrator records it removed
(routines/reviewer_removal_services.py), and the incident cannot end over it. Each answer is
a task of its own: two answers of one case sit in RIS as two reports, each taken out apart.

Kept out of the packages, as ris_pacs_left: the admin's queue, the closing checks and the
follow-up read it. Read from the reviewer log, a handful of exchanges an outage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .extensions import db
from .identity import format_patient_id
from .models import ReviewerExchange, ReviewerLogEntry


@dataclass(frozen=True)
class WrongAnswerInRis:
    """An undone answer the RIS administrator had entered on the case in RIS: one task each."""

    # The task: its ris_removal_due line, which a removal names.
    task_id: int
    exchange_id: int
    case_id: int
    code: str
    patient_name: str
    patient_number: str
    # Which answer: its number among the case's answers from the reviewer (0: not named, a
    # task from before answers were), when it was received.
    answer_number: int
    answer_received_at: datetime | None
    reviewer: str
    undone_at: datetime
    undone_by: str
    reason: str
    # Recorded as removed from RIS since: by whom ("" if not), when and with what note.
    removed_by: str = ""
    removed_at: datetime | None = None
    removed_note: str = ""

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


def _of(exchange: ReviewerExchange) -> list[WrongAnswerInRis]:
    case = exchange.case
    found = []
    for task in exchange.removal_tasks:
        due, removed = task.due, task.removed
        found.append(
            WrongAnswerInRis(
                task_id=due.id,
                exchange_id=exchange.id,
                case_id=case.id,
                code=case.code,
                patient_name=case.patient_name or "",
                patient_number=format_patient_id(case.patient_id_kind, case.patient_id),
                answer_number=task.answer_number,
                answer_received_at=task.answer.at if task.answer else None,
                reviewer=due.person,
                undone_at=due.at,
                undone_by=due.user.display_name,
                reason=due.note,
                removed_by=removed.user.display_name if removed else "",
                removed_at=removed.at if removed else None,
                removed_note=removed.note if removed else "",
            )
        )
    return found


def wrong_answers_in_ris(
    *, site_id: int | None = None, incident_ids: Sequence[int] | None = None
) -> list[WrongAnswerInRis]:
    """The site's or the incidents' answers undone after they were entered in RIS, one task
    each, oldest first, those recorded as removed too."""
    query = (
        select(ReviewerExchange)
        .where(
            select(ReviewerLogEntry.id)
            .where(
                ReviewerLogEntry.exchange_id == ReviewerExchange.id,
                ReviewerLogEntry.kind == "ris_removal_due",
            )
            .exists()
        )
        .options(
            selectinload(ReviewerExchange.entries).selectinload(ReviewerLogEntry.user),
            selectinload(ReviewerExchange.case),
        )
        .order_by(ReviewerExchange.created_at, ReviewerExchange.id)
    )
    if site_id is not None:
        query = query.where(ReviewerExchange.site_id == site_id)
    if incident_ids is not None:
        if not incident_ids:
            return []
        query = query.where(ReviewerExchange.incident_id.in_(incident_ids))
    return [task for exchange in db.session.scalars(query) for task in _of(exchange)]


def not_removed(incident_id: int) -> list[WrongAnswerInRis]:
    """The incident's wrong answers still in RIS: work that holds its end."""
    return [w for w in wrong_answers_in_ris(incident_ids=[incident_id]) if not w.is_removed]
