"""Durations as staff read them: a follow-up's length, and a worklist's wait at a glance."""

from __future__ import annotations

import pytest

from webapp.durations import duration_text, waiting_text


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(None, "–"), (0, "0 min"), (45, "45 min"), (65, "1 h 05 min"), (1565, "26 h 05 min")],
)
def test_duration_text_keeps_every_minute(minutes: int | None, shown: str) -> None:
    assert duration_text(minutes) == shown


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [
        (0, "0 min"),
        (45, "45 min"),
        (59, "59 min"),
        (60, "1 h 00 min"),
        (200, "3 h 20 min"),
        (1439, "23 h 59 min"),
        (1440, "1 d 0 h"),
        (1565, "1 d 2 h"),
        (3 * 1440 + 59, "3 d 0 h"),
    ],
)
def test_waiting_text_shows_days_and_hours_from_a_day(minutes: int, shown: str) -> None:
    assert waiting_text(minutes) == shown
