"""Recording the number of the deviation report (avvikelse) filed about an outage.

After an outage the department files a deviation report in its own system (MedControl PRO,
Synergi); its number is kept on the incident so the follow-up names it. Each change is an entry
in the incident's log (who, when, the number before and after) and an audit event.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.submissions import NOT_SENT, SentOnce, SubmitResult
from ..incident_log_labels import DEVIATION_CHANGED, DEVIATION_REMOVED, DEVIATION_SET
from ..incidents.errors import IncidentError
from ..models import Incident, IncidentLogEntry, User

UNCHANGED = "Avvikelsenumret är redan %(number)s."
NONE_TO_REMOVE = "Driftstoppet har inget avvikelsenummer."


class DeviationUnchanged(IncidentError):
    """The number is already the one sent (another tablet recorded it): nothing to do."""


def _label(old: str, new: str) -> str:
    if not new:
        return DEVIATION_REMOVED % {"old": old}
    if old:
        return DEVIATION_CHANGED % {"old": old, "new": new}
    return DEVIATION_SET % {"new": new}


def set_deviation_number(
    *, incident_id: int, user: User, number: str, sent: SentOnce = NOT_SENT
) -> IncidentLogEntry | SubmitResult:
    """Set, change or (with "") remove the incident's deviation number; once per form key.

    An ended incident takes it too, unlike its cases: the closed incident refuses changes of
    what was keyed into RIS from it (its cases, its checklist), while this number is the
    follow-up's, which is made after the close, and changes nothing the catch-up keyed or
    exported.
    """
    number = number.strip()

    def write(session: Session) -> IncidentLogEntry:
        # Locked (PostgreSQL), so two tablets changing it at once log the change each saw.
        incident = session.get(Incident, incident_id, with_for_update=True)
        if incident is None or incident.site_id != user.site_id:
            raise IncidentError("Driftstoppet finns inte.")
        old = incident.deviation_number
        if old == number:
            if not number:
                raise DeviationUnchanged(NONE_TO_REMOVE)
            raise DeviationUnchanged(UNCHANGED, number=number)
        incident.deviation_number = number
        label = _label(old, number)
        entry = IncidentLogEntry(
            incident_id=incident_id,
            step_key=IncidentLogEntry.DEVIATION,
            label=label[:300],
            is_done=True,
            user_id=user.id,
        )
        session.add(entry)
        log_event("incident_deviation", user=user, incident_id=incident_id, detail=label)
        return entry

    return sent.store(user.id, "incident_deviation", write, IncidentError)
