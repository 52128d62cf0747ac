"""Which incident each case was in, and between which rows of the audit log.

A whole-incident read (a board, an export) names its incident and no case: it showed a patient
if their case was in that incident when it was written. A case moved to another incident (a
real patient taken into a drill) was in the first until its move, and in the other from then on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import AuditEvent

MOVE = "case_move"


@dataclass(frozen=True)
class Span:
    """Audit rows after `after` (and before `before`, if set) were written while the case was
    in the incident."""

    incident_id: int
    after: int
    before: int | None = None


def incident_spans(cases: Sequence[tuple[int, int]]) -> list[Span]:
    """The spans of the cases given as (case id, its incident now), by the log's own order.

    Each case's first audit row (its case_create, in the transaction that made it) stands for
    when it came into its first incident: by id, the order the laptop wrote them in, since its
    clock may have been set back between the case and a board that showed it. Each move's row
    ends one span and begins the next, in the incident the row names (the move's target).
    """
    case_ids = [case_id for case_id, _incident in cases]
    if not case_ids:
        return []
    first = dict(
        db.session.execute(
            select(AuditEvent.case_id, func.min(AuditEvent.id))
            .where(AuditEvent.case_id.in_(case_ids))
            .group_by(AuditEvent.case_id)
        ).all()
    )
    first_incident = dict(
        db.session.execute(
            select(AuditEvent.id, AuditEvent.incident_id).where(AuditEvent.id.in_(first.values()))
        ).all()
    )
    moves: dict[int, list[tuple[int, int]]] = {}
    for case_id, event_id, target in db.session.execute(
        select(AuditEvent.case_id, AuditEvent.id, AuditEvent.incident_id)
        .where(AuditEvent.case_id.in_(case_ids), AuditEvent.action == MOVE)
        .order_by(AuditEvent.id)
    ):
        # A move's row always names its case and its target (moving.move_case).
        if case_id is not None and target is not None:
            moves.setdefault(case_id, []).append((event_id, target))
    spans = []
    for case_id, now_in in cases:
        since = first.get(case_id)
        if since is None:
            # A case with no audit row yet (none is made without one): every read of it.
            spans.append(Span(now_in, 0))
            continue
        incident_id = first_incident.get(since) or now_in
        for moved_at, target in moves.get(case_id, []):
            spans.append(Span(incident_id, since, moved_at))
            incident_id, since = target, moved_at
        spans.append(Span(incident_id, since))
    return spans
