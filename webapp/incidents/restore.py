"""Writes for the moment an outage's systems work again."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.submissions import NOT_SENT, SentOnce, SubmitResult
from ..models import Incident, IncidentLogEntry, User
from .restored import restored_since
from .services import IncidentError

RESTORED_LABEL = "Systemen fungerar igen"
UNDONE_LABEL = "Systemen fungerar igen – ångrat"


def set_restored(
    *, incident_id: int, user: User, restored: bool, sent: SentOnce = NOT_SENT
) -> IncidentLogEntry | SubmitResult:
    """Record that the systems work again, or undo a mark tapped by mistake.

    The incident stays open: the catch-up into RIS is still to come, and the incident ends only
    when every case is reconciled. The same form sent again (a double tap) records nothing more.
    """

    def write(session: Session) -> IncidentLogEntry:
        # Locked (PostgreSQL) so two tablets marking it at once do not both log it.
        incident = session.get(Incident, incident_id, with_for_update=True)
        if incident is None:
            raise IncidentError("Driftstoppet finns inte.")
        if not incident.is_open:
            raise IncidentError("Driftstoppet är avslutat.")
        already = restored_since(incident_id) is not None
        if restored and already:
            raise IncidentError("Systemen är redan markerade som fungerande igen.")
        if not restored and not already:
            raise IncidentError("Systemen är inte markerade som fungerande igen.")
        entry = IncidentLogEntry(
            incident_id=incident_id,
            step_key=IncidentLogEntry.SYSTEMS_RESTORED,
            label=RESTORED_LABEL if restored else UNDONE_LABEL,
            is_done=restored,
            user_id=user.id,
        )
        session.add(entry)
        log_event(
            "incident_restored" if restored else "incident_restored_undo",
            user=user,
            incident_id=incident_id,
            detail=f"{incident.title}{' (övning)' if incident.is_drill else ''}",
        )
        return entry

    return sent.store(user.id, "incident_restored", write, IncidentError)
