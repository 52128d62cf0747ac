"""Drafts of one form that would read alike in a list: what tells them apart.

Two tablets (or tabs) of one user leave two drafts of the same form whose rows name the same
form, person and minute. Such rows show the time with seconds where the minute is shared, and
the first thing typed that differs, so the right one is continued and the other thrown away.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .siteconfig import SiteConfig
from .text_lines import one_line

EXCERPT_LENGTH = 60


@dataclass(frozen=True)
class TwinMark:
    """What a row adds beside its like: the label and text of a field that differs."""

    label: str = ""
    text: str = ""
    # Another row alike was saved in the same minute: the time is shown with seconds.
    shares_minute: bool = False


# The mark of a row like no other.
NO_TWIN = TwinMark()


@dataclass(frozen=True)
class TwinRow:
    """A row as a list would show it (look), and the draft behind it."""

    look: Hashable
    kind: str
    data: Any
    updated_at: datetime


def twin_marks(rows: Sequence[TwinRow], config: SiteConfig) -> list[TwinMark]:
    """For each row, what tells it from the rows that look the same (an empty mark if none).

    config: the drafts' site, whose names a code typed into a form is shown by (a release's
    channel, a priority), as the form offered it.
    """
    # Imported here: the drafts package's views import the modules that call this (and
    # draft_names the routines package, whose views do too).
    from .draft_names import code_names
    from .draft_typed import mask_numbers
    from .drafts.reading import typed_values

    groups: dict[Hashable, list[int]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(row.look, []).append(i)
    marks = [NO_TWIN] * len(rows)
    named = None
    for members in groups.values():
        if len(members) < 2:
            continue
        named = named or code_names(config)
        typed = {
            # As the list shows them: a number differing only in its hidden digits tells
            # nothing apart there, and must not be shown in full beside the masked row.
            i: [
                (v.label, mask_numbers(str(v.value)))
                for v in typed_values(rows[i].kind, rows[i].data, named)
            ]
            for i in members
        }
        for i in members:
            others = [dict(typed[j]) for j in members if j != i]
            label, text = next(
                ((lb, v) for lb, v in typed[i] if any(o.get(lb) != v for o in others)),
                ("", ""),
            )
            minute = _minute(rows[i].updated_at)
            marks[i] = TwinMark(
                label,
                _excerpt(text),
                any(_minute(rows[j].updated_at) == minute for j in members if j != i),
            )
    return marks


def _minute(at: datetime) -> datetime:
    # Time zones differ from UTC by whole minutes: a minute shared in UTC is shared locally.
    return at.replace(second=0, microsecond=0)


def _excerpt(text: str) -> str:
    line = one_line(text)
    return line if len(line) <= EXCERPT_LENGTH else line[: EXCERPT_LENGTH - 1].rstrip() + "…"
