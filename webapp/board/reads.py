"""The board's reads in the access log: its opening, and its own refreshes every quarter hour."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from ..models import utcnow

# A board left open refreshes every 10 seconds all shift: a row for each refresh would bury
# every other read in the log, none at all would hide that the board stayed open. One row a
# quarter hour per login and incident shows for how long it was open.
REFRESH_LOGGED_EVERY = timedelta(minutes=15)
# Entries of logins gone quiet are dropped past this many (a tablet logs in many times a day).
_KEEP = 2000

# By the login's token hash, unique to one login in any database (a session's id is not: a
# restored or a test's fresh database counts from 1 again).
_logged: dict[tuple[str, int], datetime] = {}
_lock = threading.Lock()


def opened(login: str, incident_id: int) -> None:
    """The board was opened (and that read logged): its refreshes are logged from now on."""
    with _lock:
        _logged[(login, incident_id)] = utcnow()


def refresh_to_log(login: str, incident_id: int) -> bool:
    """Whether this refresh of the board is to be logged; if so, it counts as logged."""
    now = utcnow()
    with _lock:
        last = _logged.get((login, incident_id))
        if last is not None and now - last < REFRESH_LOGGED_EVERY:
            return False
        _logged[(login, incident_id)] = now
        if len(_logged) > _KEEP:
            for key in [k for k, at in _logged.items() if now - at >= REFRESH_LOGGED_EVERY]:
                del _logged[key]
        return True
