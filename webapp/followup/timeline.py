"""An outage's course for its follow-up report: declared, scenarios, restored, closed, ticks.

Notes and the notes on ticks are left out: they are free text and may name a patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..incidents.queries import step_states
from ..incidents.restored import follow_up_keys, restored_since
from ..incidents.uncounted import Uncounted, uncounted_ticks
from ..models import Incident, IncidentLogEntry, User
from ..siteconfig import APP_STEP_KEYS, SiteConfig
from .measure import minutes_between

DECLARED = "Driftstoppet registrerat"
# The first event of an outage declared late: its log entry says when it was declared.
BEGAN = "Driftstoppet började"
CLOSED = "Driftstoppet avslutat"
# Log entries that are no tick of the routine's checklist: the log's own (a note, the events
# below).
_NOT_TICKS = APP_STEP_KEYS
# Entries that are events of the incident's course: every one the app writes but a note, which
# staff type and may name a patient. The deviation number's changes are made after the close
# and are in the course too, as in the incident's log (the facts give only its last value).
_EVENTS = (
    IncidentLogEntry.SCENARIO_CHANGE,
    IncidentLogEntry.SYSTEMS_RESTORED,
    IncidentLogEntry.DECLARED_LATE,
    IncidentLogEntry.CASE_MOVE,
    IncidentLogEntry.DEVIATION,
)


@dataclass(frozen=True)
class Event:
    at: datetime
    # In Swedish, as paper prints it: a page reads a log entry's back by its step_key.
    what: str
    who: str
    # The log entry's, or "" for the course's own (declared, began, closed).
    step_key: str = ""


@dataclass(frozen=True)
class Tick:
    label: str
    is_done: bool
    who: str
    at: datetime
    # A tick taken back by what came after it (a change of scenario, the systems working again
    # undone): done then, and no longer counting.
    uncounted: Uncounted | None = None


@dataclass(frozen=True)
class Timeline:
    # The outage's start, and the moment it was declared: later for one noticed late.
    started_at: datetime
    declared_at: datetime
    declared_by: str
    restored_at: datetime | None
    ended_at: datetime | None
    ended_by: str
    events: tuple[Event, ...]
    ticks: tuple[Tick, ...]
    # The routine's notifications and follow-up not ticked as done since its last scenario.
    unmade: tuple[str, ...]
    # From the declaration to the systems working again (to `as_of` while they do not), and
    # from then to the close (to `as_of` while it runs; None before they work again).
    outage_minutes: int
    catchup_minutes: int | None


def incident_timeline(incident: Incident, config: SiteConfig, as_of: datetime) -> Timeline:
    """The incident's course as its log has it, in the order written."""
    rows = db.session.execute(
        select(IncidentLogEntry, User.display_name)
        .join(User, User.id == IncidentLogEntry.user_id)
        .where(IncidentLogEntry.incident_id == incident.id)
        # The order written: the laptop's clock may have been set back between two entries.
        .order_by(IncidentLogEntry.id)
    ).all()
    declared_by = incident.declared_by.display_name
    ended_by = incident.ended_by.display_name if incident.ended_by else ""
    declared_at = next(
        (e.at for e, _ in rows if e.step_key == IncidentLogEntry.DECLARED_LATE), None
    )
    events = [Event(incident.started_at, BEGAN if declared_at else DECLARED, declared_by)]
    scenario = config.scenarios.get(incident.scenario)
    follow_up = follow_up_keys(scenario.follow_up) if scenario else frozenset()
    uncounted = uncounted_ticks((entry for entry, _ in rows), follow_up)
    ticks: list[Tick] = []
    closed = Event(incident.ended_at, CLOSED, ended_by) if incident.ended_at else None
    for entry, who in rows:
        if entry.step_key in _EVENTS:
            if closed is not None and entry.at > closed.at:
                # Written after the close (the deviation number): the close comes first.
                events.append(closed)
                closed = None
            events.append(Event(entry.at, entry.label, who, entry.step_key))
        elif entry.step_key not in _NOT_TICKS:
            ticks.append(Tick(entry.label, entry.is_done, who, entry.at, uncounted.get(entry.id)))
    if closed is not None:
        events.append(closed)
    restored = restored_since(incident.id)
    end = incident.ended_at or as_of
    return Timeline(
        started_at=incident.started_at,
        declared_at=declared_at or incident.started_at,
        declared_by=declared_by,
        restored_at=restored,
        ended_at=incident.ended_at,
        ended_by=ended_by,
        events=tuple(events),
        ticks=tuple(ticks),
        unmade=_unmade(incident, config, follow_up_due=bool(restored) or not incident.is_open),
        outage_minutes=minutes_between(incident.started_at, restored or end),
        catchup_minutes=minutes_between(restored, end) if restored else None,
    )


def _unmade(incident: Incident, config: SiteConfig, *, follow_up_due: bool) -> tuple[str, ...]:
    scenario = config.scenarios.get(incident.scenario)
    if scenario is None:
        return ()
    states = step_states(
        incident.id, since_scenario=True, follow_up=follow_up_keys(scenario.follow_up)
    )
    # The follow-up is made once the systems work again: before then it is not yet missing.
    items = (*scenario.notifications, *(scenario.follow_up if follow_up_due else ()))
    return tuple(
        item.label for item in items if not (item.key in states and states[item.key].is_done)
    )
