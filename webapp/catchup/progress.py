"""Progress of an incident's reconciliation: totals, per step, outstanding cases."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accession_rule import lacks_accession
from ..extensions import db
from ..models import CATCHUP_STEPS, Case
from .batch import latest_ticks

DONE = ("closed", "cancelled")


@dataclass
class Progress:
    total: int = 0
    reconciled: int = 0
    waived: int = 0
    # Waivers that wait for a second user's confirmation (four eyes): open tasks, not cases
    # to key, and not reconciled.
    waiver_pending: int = 0
    cancelled: int = 0
    # The cases whose steps are keyed here: not cancelled, not waived (nor waiting for a
    # waiver's confirmation). The counts per step and of checks are of these, so a finished
    # catch-up reads as every step done rather than short by its waived and cancelled cases.
    to_key: int = 0
    by_step: dict[str, int] = field(default_factory=dict)
    verified: int = 0
    outstanding: list[Case] = field(default_factory=list)
    # Per outstanding case: the steps still to do ("verified": the four-eyes check).
    left: dict[int, list[str]] = field(default_factory=dict)
    # Cases back in the catch-up (see reopening.py), each with the note saying why: RIS went
    # stale after keying, or a waiver lapsed.
    reopened: dict[int, str] = field(default_factory=dict)
    # Cases booked in RIS with no accession (see accession_rule); reconciled ones are tasks.
    no_accession: set[int] = field(default_factory=set)

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.reconciled / self.total)


def incident_progress(incident_id: int, ranks: Mapping[str, int] | None = None) -> Progress:
    """Counts for the batch page; cancelled and waived cases count as reconciled (a waiver
    once it stands: with four eyes, once confirmed).

    The outstanding cases come most important first: a case whose RIS copy went stale (RIS
    holds wrong text or the wrong patient), then by priority rank, then the oldest.
    """
    cases = list(
        db.session.scalars(
            select(Case)
            .where(Case.incident_id == incident_id)
            .order_by(Case.created_at, Case.id)
            # Every case's record is read below: one query for all, not one per case.
            .options(selectinload(Case.catchup))  # type: ignore[attr-defined]
        )
    )
    ticks = latest_ticks([c.id for c in cases])
    progress = Progress(total=len(cases), by_step={s: 0 for s in CATCHUP_STEPS})
    for case in cases:
        record = case.catchup
        pending = record is not None and record.waiver_pending and case.status != "cancelled"
        if case.status in DONE:
            progress.reconciled += 1
        elif pending:
            progress.waiver_pending += 1
        else:
            progress.outstanding.append(case)
            states = ticks[case.id]
            left = [s for s in CATCHUP_STEPS if not (s in states and states[s].is_done)]
            # Every step done but not reconciled: the check is left, even if four eyes were
            # turned off since (the case was keyed while the check was required).
            if not left and (record is None or record.verified_at is None):
                left = ["verified"]
            progress.left[case.id] = left
            notes = [t for t in states.values() if not t.is_done and t.note]
            if notes:
                progress.reopened[case.id] = max(notes, key=lambda t: t.id).note
            if lacks_accession(case.status, states, record):
                progress.no_accession.add(case.id)
        if case.status == "cancelled":
            progress.cancelled += 1
        # A cancelled case's waiver never stood: with four eyes a standing one closes the case,
        # which then cannot be cancelled. It is counted once, as cancelled.
        elif record is not None and record.waived_at is not None and not pending:
            progress.waived += 1
        if case.status == "cancelled" or (record is not None and record.waived_at is not None):
            continue
        progress.to_key += 1
        if record is not None and record.verified_at is not None:
            progress.verified += 1
        for step, tick in ticks[case.id].items():
            if tick.is_done and step in progress.by_step:
                progress.by_step[step] += 1
    rank = ranks or {}
    progress.outstanding.sort(
        key=lambda c: (c.id not in progress.reopened, rank.get(c.priority, 99), c.created_at, c.id)
    )
    return progress
