"""The start of an incident declared after it began (an outage noticed late).

An outage is often declared some minutes or hours after the systems went down. Its start is
what the arrival rule, the follow-up and the exports measure from; the moment it was declared
is kept in the audit event and, for a start given, in the incident log.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..arrival_rule import to_minute
from ..cases.fields import CLOCK_DRIFT
from ..incident_log_labels import DECLARED_LATE
from ..models import Incident, IncidentLogEntry, User, utcnow
from ..web import local_time
from .errors import IncidentError

IN_FUTURE = "Ett driftstopp kan inte starta i framtiden."
NO_ZONE = "Starttiden saknar tidszon."
# %(ended)s: the earlier incident's close, local time.
BEFORE_PREVIOUS = (
    "Starten ligger före slutet av det förra driftstoppet med samma scenario (%(ended)s). "
    "Kontrollera datum och klockslag."
)


class StartRefused(IncidentError):
    """A start given for an incident that the rules do not allow (shown beside the start)."""


def checked_start(started_at: datetime | None) -> datetime | None:
    """The start given as aware UTC, or None for now.

    A start in the current minute is now (times are typed to the minute), and so is one a
    tablet's clock put a little ahead of the laptop's.
    """
    if started_at is None:
        return None
    if started_at.tzinfo is None:
        raise StartRefused(NO_ZONE)
    now = utcnow()
    if started_at - now > CLOCK_DRIFT:
        raise StartRefused(IN_FUTURE)
    if to_minute(started_at) >= to_minute(now):
        return None
    return started_at.astimezone(UTC)


def check_after_previous(
    session: Session, site_id: int, scenario: str, started_at: datetime
) -> None:
    """Refuse a real outage's start before the close of the site's last one of its scenario.

    Until that close a second one could not be declared: its referrals went into the earlier
    incident, so a start before it would count them twice over in the follow-up and exports.
    """
    ended = session.scalar(
        select(func.max(Incident.ended_at)).where(
            Incident.site_id == site_id,
            Incident.scenario == scenario,
            Incident.is_drill.is_(False),
            Incident.ended_at.is_not(None),
        )
    )
    if ended is not None and started_at < ended:
        raise StartRefused(BEFORE_PREVIOUS, ended=local_time(ended))


def declared_late_entry(incident: Incident, user: User, started_at: datetime) -> IncidentLogEntry:
    """The log's entry of a start given: stamped now, the moment of declaration."""
    return IncidentLogEntry(
        incident_id=incident.id,
        step_key=IncidentLogEntry.DECLARED_LATE,
        label=DECLARED_LATE % {"started": local_time(started_at)},
        is_done=True,
        user_id=user.id,
    )
