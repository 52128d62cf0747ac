"""The radiologist's instruction to the radiographer as the pages and the printed referral show it.

Apart from the reporting package, which the case pages and the print views would otherwise pull
in with all its views.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .models import Case

# The case's column the instruction is written to. No part of the referral edit form, so
# writing it makes no open referral edit (nor its draft) stale: cases/versions.py, whose rule
# draft_versions.py asks.
PROTOCOL_COLUMNS = frozenset(("protocol",))


@dataclass(frozen=True)
class Protocol:
    """The instruction, who wrote it last and when, and the documented exam's start."""

    text: str
    by: str
    written_at: datetime
    exam_started_at: datetime | None

    @property
    def after_exam_start(self) -> bool:
        """Written after the exam started: it cannot have been read before the exam."""
        return self.exam_started_at is not None and self.written_at > self.exam_started_at


def protocol_of(case: Case) -> Protocol | None:
    """The case's instruction, or None when no radiologist has written one."""
    if not case.protocol or case.protocol_at is None:
        return None
    exam = case.exam
    return Protocol(
        text=case.protocol,
        by=case.protocol_by.display_name if case.protocol_by else "",
        written_at=case.protocol_at,
        exam_started_at=exam.started_at if exam is not None else None,
    )
