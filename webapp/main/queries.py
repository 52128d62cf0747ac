"""What the start page counts: how many cases of each open incident stand at each status."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..models import CASE_STATUSES, Case


def status_counts(incident_ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    """Per incident, (status, count) in the order cases move through; empty statuses left out."""
    if not incident_ids:
        return {}
    rows = db.session.execute(
        select(Case.incident_id, Case.status, func.count(Case.id))
        .where(Case.incident_id.in_(incident_ids))
        .group_by(Case.incident_id, Case.status)
    ).all()
    found: dict[int, dict[str, int]] = {}
    for incident_id, status, count in rows:
        found.setdefault(incident_id, {})[status] = count
    order = {status: rank for rank, status in enumerate(CASE_STATUSES)}
    return {
        incident_id: sorted(counts.items(), key=lambda item: order.get(item[0], len(order)))
        for incident_id, counts in found.items()
    }
