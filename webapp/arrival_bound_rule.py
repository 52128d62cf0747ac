"""A referral cannot have arrived long before the outage whose case it opens.

An incident's start is when it was declared. An outage can go unnoticed for a while (an
integration engine down overnight, referrals faxed before anyone declared it in the morning),
so a referral may have arrived some hours before that, but not days: a case only holds a
referral the outage kept from RIS, and a typo in the date or year (2016 for 2026) would sort
the case wrongly and hold every later time of it against a wrong arrival.

The bound is against the incident, never against now: a faxed referral keyed from the red tray
days after the outage keeps the arrival written on it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .arrival_rule import to_minute

# An outage noticed the morning after a night of faxes: under a day. The message names it as
# "ett dygn", so the two change together.
ARRIVAL_BEFORE_INCIDENT = timedelta(hours=24)
TOO_EARLY = (
    "Ankomsttiden ligger mer än ett dygn före driftstoppets start (%(started)s). "
    "Kontrollera datum och år."
)


def arrived_too_early(arrived_at: datetime, incident_started_at: datetime) -> bool:
    """Whether an arrival lies further before the incident's start than an outage allows.

    To the minute, as times are typed: an arrival exactly a day before is still taken.
    """
    return to_minute(arrived_at) < to_minute(incident_started_at) - ARRIVAL_BEFORE_INCIDENT
