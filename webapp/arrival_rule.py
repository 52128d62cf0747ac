"""A time typed for a case cannot lie before its referral arrived at the department.

A report read, a fax to the reviewer or an answer from them all follow the referral; a time
before it is a mistyped date or hour, and the follow-up would count a wait below zero.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise, product
from typing import Any, Protocol

from .models import Case
from .web import local_time

# The one wording every form shows beside its time field; %(arrived)s is local time.
# The referral's own arrival is typed too (a paper referral keyed later may keep "now").
BEFORE_ARRIVAL = (
    "Tiden är före remissens ankomst (%(arrived)s). Kontrollera datum och klockslag – eller "
    "remissens ankomsttid, om det är den som är fel."
)


def to_minute(moment: datetime) -> datetime:
    """The moment, aware, to the minute: the precision times are typed in."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.replace(second=0, microsecond=0)


def arrival_after(case: Case, at: datetime) -> datetime | None:
    """The referral's arrival if `at` lies before it, else None.

    Compared to the minute: both are typed to the minute, and a "Nu" stamp has seconds.
    """
    referral = case.referral
    if referral is None or referral.arrived_at is None:
        return None
    return referral.arrived_at if to_minute(at) < to_minute(referral.arrived_at) else None


def arrival_values(arrived_at: datetime) -> dict[str, object]:
    """BEFORE_ARRIVAL's values: the arrival as staff read it on the referral."""
    return {"arrived": local_time(arrived_at)}


class TimeField(Protocol):
    """A time field as cases.fields.LocalDateTimeField reads it: `data`, and the autumn
    night's second pass of a repeated hour when the wall time typed is one."""

    data: Any
    second_pass: datetime | None


def read_after_arrival(case: Case, *fields: TimeField) -> None:
    """Read a repeated autumn hour as its second pass where the first lies before the arrival.

    A referral that came at 02:30 the second time round is followed by a 02:40 an hour after the
    first 02:40. The fields are given in the order their times keep (a paper written, then
    faxed), so a reading moved past the arrival does not leave the next one before it. The first
    readings that keep every time after the arrival and in order become the fields' data; with
    none, they stay as read and the service refuses them beside their field.
    """
    typed = [f for f in fields if isinstance(f.data, datetime)]
    readings = [[f.data] + ([f.second_pass] if f.second_pass is not None else []) for f in typed]
    for chosen in product(*readings):
        after = all(arrival_after(case, at) is None for at in chosen)
        if after and all(a <= b for a, b in pairwise(chosen)):
            for field, at in zip(typed, chosen, strict=True):
                field.data = at
            return
