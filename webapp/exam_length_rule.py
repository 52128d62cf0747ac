"""An exam's documented end cannot lie implausibly long after its start, nor its start long
before its case began.

An end on the wrong day (typed or picked a day or more out) would count the modality's room as
busy for days in the follow-up, and RIS would be given an exam of that length in the catch-up.
A start in a mistyped year or month (2016 for 2026), its end typed alike or left empty, would be
keyed into RIS as an exam of then. An acute exam may begin before its faxed referral arrives,
and a referral may arrive before its outage was declared, but not a day before both.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .arrival_bound_rule import ARRIVAL_BEFORE_INCIDENT
from .arrival_rule import to_minute
from .web import local_time

# The longest exams are interventional: a complex aortic stent graft, a TIPS or an embolisation
# can run six to eight hours, rarely more. Twelve leaves room for those and still catches an end
# on the wrong day.
LONGEST_EXAM = timedelta(hours=12)
TOO_LONG = (
    "Undersökningen kan inte ha pågått mer än %(hours)s timmar (start %(started)s). "
    "Kontrollera sluttidens datum och klockslag."
)


def lasts_too_long(started_at: datetime, ended_at: datetime | None) -> bool:
    """Whether an end lies further after the start than any exam lasts (to the minute, as
    typed); an exam not yet given an end is not."""
    if ended_at is None:
        return False
    return to_minute(ended_at) - to_minute(started_at) > LONGEST_EXAM


def too_long_values(started_at: datetime) -> dict[str, object]:
    """TOO_LONG's values: the bound, and the start as staff typed it (site time)."""
    return {"hours": int(LONGEST_EXAM.total_seconds() // 3600), "started": local_time(started_at)}


# The same day's grace as an arrival before its outage (arrival_bound_rule): the messages name
# it as "ett dygn", so they change together.
START_BEFORE_CASE = ARRIVAL_BEFORE_INCIDENT
STARTS_TOO_EARLY = (
    "Starttiden ligger mer än ett dygn före både remissens ankomst (%(arrived)s) och "
    "driftstoppets start (%(started)s). Kontrollera starttidens datum och år."
)
STARTS_TOO_EARLY_NO_ARRIVAL = (
    "Starttiden ligger mer än ett dygn före driftstoppets start (%(started)s). "
    "Kontrollera starttidens datum och år."
)


def starts_too_early(
    started_at: datetime, arrived_at: datetime | None, incident_started_at: datetime
) -> bool:
    """Whether a start lies more than a day before both the referral's arrival (if any) and the
    outage's start (to the minute, as typed)."""
    earliest = min(to_minute(at) for at in (arrived_at, incident_started_at) if at is not None)
    return to_minute(started_at) < earliest - START_BEFORE_CASE


def too_early_message(arrived_at: datetime | None) -> str:
    """The message refusing a start too early: naming the arrival when there is one."""
    return STARTS_TOO_EARLY if arrived_at is not None else STARTS_TOO_EARLY_NO_ARRIVAL


def too_early_values(
    arrived_at: datetime | None, incident_started_at: datetime
) -> dict[str, object]:
    """The message's values: the arrival and the outage's start as staff read them (site time)."""
    values: dict[str, object] = {"started": local_time(incident_started_at)}
    if arrived_at is not None:
        values["arrived"] = local_time(arrived_at)
    return values
