"""Writes for the moment an outage's systems work again."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.submissions import NOT_SENT, SentOnce, SubmitResult
from ..incident_log_labels import FOLLOW_UP_VOID, RESTORE_UNDONE, RESTORED
from ..models import Incident, IncidentLogEntry, User
from ..siteconfig import Notification
from .restored import NOT_RESTORED, restored_since, ticked_follow_up
from .services import RESTORE_SCENARIO_CHANGED, IncidentError, ScenarioChangedSince


def set_restored(
    *,
    incident_id: int,
    user: User,
    restored: bool,
    follow_up: tuple[Notification, ...] = (),
    sent: SentOnce = NOT_SENT,
    drawn_for: str | None = None,
) -> IncidentLogEntry | SubmitResult:
    """Record that the systems work again, or undo a mark tapped by mistake.

    The incident stays open: the catch-up into RIS is still to come, and the incident ends only
    when every case is reconciled. The same form sent again (a double tap) records nothing more.
    `follow_up`: the scenario's follow-up. Its ticks belong to the mark they followed: an undo
    takes them back with it (they stay in the log, and the undo's entry and audit row name
    them), so the follow-up is made anew when the systems work again.
    `drawn_for`: the scenario the page showed. A mark from a page drawn before a change of
    scenario (another system failed meanwhile) would put every tablet off paper while the
    outage's systems are still down.
    """

    def write(session: Session) -> IncidentLogEntry:
        # Locked (PostgreSQL) so two tablets marking it at once do not both log it.
        incident = session.get(Incident, incident_id, with_for_update=True)
        if incident is None:
            raise IncidentError("Driftstoppet finns inte.")
        if not incident.is_open:
            raise IncidentError("Driftstoppet är avslutat.")
        if drawn_for is not None and drawn_for != incident.scenario:
            raise ScenarioChangedSince(RESTORE_SCENARIO_CHANGED)
        already = restored_since(incident_id) is not None
        if restored and already:
            raise IncidentError("Systemen är redan markerade som fungerande igen.")
        if not restored and not already:
            raise IncidentError(NOT_RESTORED)
        # Read before the undo is written: after it they no longer count.
        void = "" if restored else ", ".join(ticked_follow_up(incident_id, follow_up))
        entry = IncidentLogEntry(
            incident_id=incident_id,
            step_key=IncidentLogEntry.SYSTEMS_RESTORED,
            label=RESTORED if restored else RESTORE_UNDONE,
            is_done=restored,
            note=(FOLLOW_UP_VOID % {"follow_up": void})[:2000] if void else "",
            user_id=user.id,
        )
        session.add(entry)
        detail = f"{incident.title}{' (övning)' if incident.is_drill else ''}"
        if void:
            detail += f"; uppföljningen räknas inte längre: {void}"
        log_event(
            "incident_restored" if restored else "incident_restored_undo",
            user=user,
            incident_id=incident_id,
            detail=detail,
        )
        return entry

    return sent.store(user.id, "incident_restored", write, IncidentError)
