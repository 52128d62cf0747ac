"""A routine tick asking for the state its step is in already: answered, nothing logged."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..checklist_keys import stored_key
from ..models import IncidentLogEntry, User
from ..web import local_time_dated
from .errors import IncidentError

# Two tablets showed the step undone and both tapped it: a second entry would say the call was
# made twice (and the latest would count). The second is told who was first.
ALREADY_TICKED = "”%(step)s” är redan avbockat av %(name)s %(time)s: inget har ändrats."
ALREADY_UNTICKED = "”%(step)s” är redan ångrat av %(name)s %(time)s: inget har ändrats."
NOT_TICKED = "”%(step)s” är inte avbockat: det finns inget att ångra."


class AlreadyTicked(IncidentError):
    """The step is in the state the tick asks for already: nothing is wrong, nothing written."""


def refuse_same_state(
    session: Session,
    incident_id: int,
    step_key: str,
    label: str,
    *,
    is_done: bool,
    resets: set[str],
) -> None:
    """Raise AlreadyTicked when the step's latest entry has the state asked for.

    Call under the incident's row lock, so a tick at the same moment is read. resets: the entries
    after which the step is to be done anew (a change of scenario, the systems working again); a
    tick after one is a real one even where the step's last entry was the same.
    """
    rows = session.execute(
        select(
            IncidentLogEntry.step_key,
            IncidentLogEntry.label,
            IncidentLogEntry.is_done,
            IncidentLogEntry.at,
            User.display_name,
        )
        .join(User, User.id == IncidentLogEntry.user_id)
        .where(IncidentLogEntry.incident_id == incident_id)
        # In the order written, newest first, as step_states reads them.
        .order_by(IncidentLogEntry.id.desc())
    )
    for row in rows:
        if row.step_key in resets:
            return
        if stored_key(row.step_key, row.label) != step_key:
            continue
        if row.is_done != is_done:
            return
        raise AlreadyTicked(
            ALREADY_TICKED if is_done else ALREADY_UNTICKED,
            step=label or step_key,
            name=row.display_name,
            # An outage can last days: the first tick may be of another day.
            time=local_time_dated(row.at),
        )
    if not is_done:
        raise AlreadyTicked(NOT_TICKED, step=label or step_key)
