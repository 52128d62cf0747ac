"""Durations as staff read them, shared by the pages and the sheets that show one."""

from __future__ import annotations

MINUTES_A_DAY = 24 * 60


def duration_text(minutes: int | None) -> str:
    """Minutes as staff read a duration: "45 min", "4 h 05 min"."""
    if minutes is None:
        return "–"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def waiting_text(minutes: int) -> str:
    """A wait read at a glance on a list: "45 min", "3 h 20 min", from a day "1 d 2 h".

    Past a day the minutes are noise to a radiologist choosing what to read next; the list
    still sorts by the arrival itself.
    """
    days, rest = divmod(minutes, MINUTES_A_DAY)
    return f"{days} d {rest // 60} h" if days else duration_text(rest)
