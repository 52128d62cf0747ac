"""An exam's documented end cannot lie implausibly long after its start.

An end on the wrong day (typed or picked a day or more out) would count the modality's room as
busy for days in the follow-up, and RIS would be given an exam of that length in the catch-up.
"""

from __future__ import annotations

from datetime import datetime, timedelta

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
