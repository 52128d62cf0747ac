"""Images that were only on the modality, for the follow-up report: cases named by code only.

During a PACS or total outage the acute images stay on the modality, which deletes old local
images after some days: the administrators follow up which exams were documented with their
images not sent (or failed), when they reached PACS, and how long they were at risk. An exam
recorded as sent afterwards says "yes" now; its earlier version (kept whole in the version
history) still says it was not sent, so the case is counted all the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import ExamRecord, RecordVersion
from ..pacs_rule import NOT_IN_PACS, only_on_modality
from .measure import aware, minutes_between


@dataclass(frozen=True)
class LeftOnModality:
    """A case whose exam's images were documented as not in PACS."""

    code: str
    exam_at: datetime
    # Whether they are in PACS now, and when they were sent (None: not yet, or not recorded).
    is_sent: bool
    sent_at: datetime | None
    # From the exam's start to PACS; while they are not there, to the figures' time (at least
    # that long). None: sent, with no time recorded.
    minutes: int | None


def _documented_not_sent(case_ids: list[int]) -> set[int]:
    """Cases an earlier version of whose exam said the images were not in PACS."""
    return set(
        db.session.scalars(
            select(RecordVersion.case_id).where(
                RecordVersion.entity == "exam",
                RecordVersion.case_id.in_(case_ids),
                RecordVersion.data["pacs_status"].as_string().in_(NOT_IN_PACS),
            )
        )
    )


def images_on_modality(live: Sequence[Any], as_of: datetime) -> tuple[LeftOnModality, ...]:
    """The live cases (in their order) whose images were only on the modality at some time."""
    by_id = {c.id: c for c in live}
    exams = {
        e.case_id: e
        for e in db.session.execute(
            select(
                ExamRecord.case_id,
                ExamRecord.started_at,
                ExamRecord.pacs_status,
                ExamRecord.pacs_sent_at,
            ).where(ExamRecord.case_id.in_(list(by_id)))
        )
    }
    earlier = _documented_not_sent(list(by_id))
    found = []
    for case_id, c in by_id.items():
        exam = exams.get(case_id)
        if exam is None:
            continue
        still = only_on_modality(exam.pacs_status)
        if not still and case_id not in earlier:
            continue
        started = aware(exam.started_at)
        # "failed" may carry the time of the attempt: it is not when they reached PACS.
        sent = None if still or exam.pacs_sent_at is None else aware(exam.pacs_sent_at)
        until = as_of if still else sent
        minutes = minutes_between(started, until) if until is not None else None
        found.append(LeftOnModality(c.code, started, not still, sent, minutes))
    return tuple(found)
