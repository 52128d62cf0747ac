"""The services' check of a referral's arrival: not in the future, and not long before its
incident unless confirmed.

The forms say the first beside the field; the services check both inside the write, under the
lock, where the incident a new referral opens in is known (the tablet's current one is chosen
there), so no caller saves an arrival long before its incident without the confirmation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..arrival_bound_rule import (
    EARLY_ARRIVAL_CONFIRMED,
    EARLY_ARRIVAL_REASON,
    TOO_EARLY,
    arrived_too_early,
)
from ..models import utcnow
from ..web import local_time
from .errors import ArrivalBeforeIncident, ArrivalImplausible
from .fields import CLOCK_DRIFT, IN_FUTURE


def check_arrival_bounds(
    arrived_at: Any, incident_started_at: datetime, *, confirmed: bool = False
) -> str:
    """The incident's start (site time) when the arrival lies long before it and `confirmed`
    says it is right, for the audit row; "" when it lies within the bound.

    An arrival in the future is refused, confirmed or not: it has not happened. One long before
    the incident is refused unless confirmed (ArrivalBeforeIncident, asked about on the form).
    """
    if not isinstance(arrived_at, datetime):
        return ""
    if arrived_at - utcnow() > CLOCK_DRIFT:
        raise ArrivalImplausible(IN_FUTURE)
    if not arrived_too_early(arrived_at, incident_started_at):
        return ""
    started = local_time(incident_started_at)
    if not confirmed:
        raise ArrivalBeforeIncident(TOO_EARLY, started=started)
    return started


def confirmed_note(started: str) -> str:
    """The audit row's note of an arrival confirmed before the incident ("" for none)."""
    return EARLY_ARRIVAL_CONFIRMED % {"started": started} if started else ""


def confirmed_reason(started: str) -> str:
    """The version history's reason for the same ("" for none)."""
    return EARLY_ARRIVAL_REASON % {"started": started} if started else ""
