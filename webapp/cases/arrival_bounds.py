"""The services' check of a referral's arrival: not in the future, not long before its incident.

The forms say the first beside the field; the services check both inside the write, where the
incident a new referral opens in is known (the tablet's current one is chosen there).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app

from ..arrival_bound_rule import TOO_EARLY, arrived_too_early
from ..models import utcnow
from ..web import local_time
from .errors import ArrivalImplausible
from .fields import CLOCK_DRIFT, IN_FUTURE


def refuse_implausible_arrival(arrived_at: Any, incident_started_at: datetime) -> None:
    """Refuse an arrival in the future, or further before the incident than an outage allows."""
    if not isinstance(arrived_at, datetime):
        return
    if arrived_at - utcnow() > CLOCK_DRIFT:
        raise ArrivalImplausible(IN_FUTURE)
    # Off only in the test suite, whose referrals are typed as of 2026-01-15 into incidents
    # declared on the day it runs; the rule's own tests turn it on.
    if not current_app.config["CHECK_ARRIVAL_BEFORE_INCIDENT"]:
        return
    if arrived_too_early(arrived_at, incident_started_at):
        raise ArrivalImplausible(TOO_EARLY, started=local_time(incident_started_at))
