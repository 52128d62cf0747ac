"""Minutes between stored times, and their spread, for the follow-up report's figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from statistics import median


@dataclass(frozen=True)
class Spread:
    """Minutes over some cases: how many, the median and the longest (None when none)."""

    count: int = 0
    median: int | None = None
    longest: int | None = None


def spread(minutes: Sequence[int]) -> Spread:
    if not minutes:
        return Spread()
    return Spread(len(minutes), round(median(minutes)), max(minutes))


def minutes_between(start: datetime, end: datetime) -> int:
    # A time typed a little before the arrival (a clock, a slip) counts as no wait at all.
    return max(0, int((end - start).total_seconds() // 60))


def aware(value: datetime) -> datetime:
    # An aggregate's value may come back without the column type's conversion (SQLite).
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
