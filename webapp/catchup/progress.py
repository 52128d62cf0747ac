"""Progress of an incident's reconciliation: totals, per step, outstanding cases."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import CATCHUP_STEPS, Case
from .batch import latest_ticks

DONE = ("closed", "cancelled")


@dataclass
class Progress:
    total: int = 0
    reconciled: int = 0
    waived: int = 0
    cancelled: int = 0
    by_step: dict[str, int] = field(default_factory=dict)
    verified: int = 0
    outstanding: list[Case] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.reconciled / self.total)


def incident_progress(incident_id: int) -> Progress:
    """Counts for the batch page; cancelled and waived cases count as reconciled."""
    cases = list(
        db.session.scalars(
            select(Case).where(Case.incident_id == incident_id).order_by(Case.created_at)
        )
    )
    ticks = latest_ticks([c.id for c in cases])
    progress = Progress(total=len(cases), by_step={s: 0 for s in CATCHUP_STEPS})
    for case in cases:
        record = case.catchup
        if case.status in DONE:
            progress.reconciled += 1
        else:
            progress.outstanding.append(case)
        if case.status == "cancelled":
            progress.cancelled += 1
        if record is not None and record.waived_at is not None:
            progress.waived += 1
        if record is not None and record.verified_at is not None:
            progress.verified += 1
        for step, tick in ticks[case.id].items():
            if tick.is_done and step in progress.by_step:
                progress.by_step[step] += 1
    return progress
