"""Boxed marks in a sheet's header (MAKULERAD, AKUT FYND, ÖVNING, PRELIMINÄRT, KOPIA)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
    text: str
    detail: str = ""
    # Words after the detail, each kept whole on a line: the box grows a line for those that
    # do not fit beside it.
    items: tuple[str, ...] = ()


def sheet_marks(
    is_drill: bool,
    reprint_at: str | None,
    is_preliminary: bool = False,
    *,
    is_cancelled: bool = False,
    is_urgent: bool = False,
    changed_since: str | None = None,
    changed_parts: Sequence[str] = (),
) -> tuple[Mark, ...]:
    """The header marks in the order they matter; changed_since is the document's first print
    time when that print showed other content (an older version), changed_parts what kinds of
    content changed since."""
    marks = []
    if is_cancelled:
        # First: a cancelled case's paper must not be taken for a live referral or report.
        marks.append(Mark("MAKULERAD"))
    if is_urgent:
        # A report's urgent finding: a fax page read on its own still says it.
        marks.append(Mark("AKUT FYND"))
    if is_drill:
        marks.append(Mark("ÖVNING"))
    if is_preliminary:
        marks.append(Mark("PRELIMINÄRT"))
    if changed_since is not None:
        # Paper printed before is still about: this sheet must not be taken for the same one.
        # What changed, so that nobody must compare the two sheets by eye to find it.
        since = f"sedan utskriften {changed_since}" + (":" if changed_parts else "")
        marks.append(Mark("ÄNDRAD", since, tuple(changed_parts)))
    if reprint_at is not None:
        if not reprint_at.strip():
            raise ValueError("a reprint needs its print time")
        marks.append(Mark("KOPIA", f"utskriven {reprint_at}"))
    return tuple(marks)
