"""A referral that arrived long before the outage whose case it opens is asked about.

An incident's start is when it was declared, or the start given on the declare form for an
outage noticed late. An outage can go unnoticed for a while (an integration engine down
overnight, referrals faxed before anyone declared it in the morning) and be declared without
its real start, so a referral may arrive some hours before that without a question. Days before
is most often a typo in the date or year (2016 for 2026), which would sort the case wrongly and
hold every later time of it against a wrong arrival; but an outage begun on a Friday night and
declared on Monday morning has real referrals from Saturday, and the start cannot be edited
once declared. So such an arrival is not refused outright: staff confirm it in a box, and the
confirmation is audited, rather than being pushed to type a false arrival.

The bound is against the incident, never against now: a faxed referral keyed from the red tray
days after the outage keeps the arrival written on it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .arrival_rule import to_minute

# An outage noticed the morning after a night of faxes: under a day, saved unasked. The message
# names it as "ett dygn", so the two change together.
ARRIVAL_BEFORE_INCIDENT = timedelta(hours=24)
TOO_EARLY = (
    "Ankomsttiden ligger mer än ett dygn före driftstoppets start (%(started)s). "
    "Kontrollera datum och år. Om ankomsttiden stämmer, bocka i ”Ankomsttiden stämmer” och "
    "spara igen."
)
# The same asked of a move to an outage that began that long after the referral arrived: left
# unasked, a case could sit in an outage it arrived days before. Nothing typed on the move's
# form is wrong; the referral's arrival may be, and is corrected on the referral.
MOVE_TOO_EARLY = (
    "Remissens ankomsttid (%(arrived)s) ligger mer än ett dygn före driftstoppets start "
    "(%(started)s). Om ankomsttiden stämmer, bocka i ”Ankomsttiden stämmer” och tryck Flytta "
    "igen. Är den fel, rätta remissen först."
)
# The box's label, which TOO_EARLY and MOVE_TOO_EARLY name: they change together.
CONFIRM_LABEL = "Ankomsttiden stämmer"
# In the audit row of the referral saved (case_create, referral_change), and as the reason in
# the referral's version history on an edit: who said the arrival was right, against what start.
EARLY_ARRIVAL_CONFIRMED = (
    "ankomsttid mer än ett dygn före driftstoppets start (%(started)s), bekräftad som rätt"
)
EARLY_ARRIVAL_REASON = (
    "Ankomsttiden mer än ett dygn före driftstoppets start (%(started)s) bekräftad som rätt."
)


def arrived_too_early(arrived_at: datetime, incident_started_at: datetime) -> bool:
    """Whether an arrival lies further before the incident's start than is taken unasked.

    To the minute, as times are typed: an arrival exactly a day before is still taken.
    """
    return to_minute(arrived_at) < to_minute(incident_started_at) - ARRIVAL_BEFORE_INCIDENT
