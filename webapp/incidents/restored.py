"""Reads for the moment an outage's systems work again, and the follow-up it calls for."""

from __future__ import annotations

from datetime import datetime

from flask import g
from sqlalchemy import bindparam, select

from ..extensions import db
from ..models import Incident, IncidentLogEntry
from ..siteconfig import Notification
from .queries import step_states

NOT_RESTORED = "Systemen är inte markerade som fungerande igen."

# Built once: the board, the start page and the referral form all ask for it.
_MARKS = (
    select(IncidentLogEntry.step_key, IncidentLogEntry.is_done, IncidentLogEntry.at)
    .where(
        IncidentLogEntry.incident_id == bindparam("incident_id"),
        IncidentLogEntry.step_key.in_(
            (IncidentLogEntry.SYSTEMS_RESTORED, IncidentLogEntry.SCENARIO_CHANGE)
        ),
    )
    # In the order written: an undo stamped after the clock was set back still comes last.
    .order_by(IncidentLogEntry.id)
)


def restored_since(incident_id: int) -> datetime | None:
    """When the systems were marked as working again, or None if they are not (or it was undone).

    A change of scenario after it means something has failed again: the outage is back on paper.
    """
    since = None
    for step_key, is_done, at in db.session.execute(_MARKS, {"incident_id": incident_id}):
        since = at if step_key == IncidentLogEntry.SYSTEMS_RESTORED and is_done else None
    return since


def systems_restored_at(incident: Incident) -> datetime | None:
    """restored_since for templates, asked once per incident and request."""
    cache: dict[int, datetime | None] = g.setdefault("systems_restored", {})
    if incident.id not in cache:
        cache[incident.id] = restored_since(incident.id)
    return cache[incident.id]


def unmade_follow_up(incident_id: int, follow_up: tuple[Notification, ...]) -> list[str]:
    """Labels of the scenario's follow-up items not (or no longer) ticked as done."""
    if not follow_up:
        return []
    states = step_states(incident_id, since_scenario=True, follow_up=follow_up_keys(follow_up))
    return [
        item.label for item in follow_up if not (item.key in states and states[item.key].is_done)
    ]


def follow_up_keys(follow_up: tuple[Notification, ...]) -> frozenset[str]:
    """The keys whose ticks count only since the systems were last marked working again."""
    return frozenset(item.key for item in follow_up)


def ticked_follow_up(incident_id: int, follow_up: tuple[Notification, ...]) -> list[str]:
    """Labels of the follow-up items ticked as done for the restore that stands now."""
    if not follow_up:
        return []
    states = step_states(incident_id, since_scenario=True, follow_up=follow_up_keys(follow_up))
    return [item.label for item in follow_up if item.key in states and states[item.key].is_done]
