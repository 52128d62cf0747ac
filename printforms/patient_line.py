"""The header's patient line: name and identity number under the case code on every page.

Both are on every page: a fax page that came apart from the first one is matched to the
patient by them, so the line is never smaller than the sheets' smallest fax text (INFO_PT).
The number is always whole (a cut number is a wrong number); a name too long for one line with
it goes whole on a line of its own above it, and one too long for that is cut with "…" at the
smallest size (the first page's patient box has it whole), so the header stays one line.
No valid name or number may refuse the print either (a transfer's typed ID of 40 wide letters
did): a number too wide beside enough of the name takes a line of its own, and one too wide
beside the QR goes below the case code, where a line has the page's width.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from printforms.page import FONT_BOLD, INFO_PT

PATIENT_LINE_PT = 12.0
# The line is what matches a page that came apart to its patient: never smaller than the
# sheets' smallest fax text (at 9 pt it was the header's one line a fax blurred).
PATIENT_LINE_MIN_PT = INFO_PT
# Each further line this many times the size below the one before.
PATIENT_LEADING = 1.2
# A line's top above its baseline, as a share of its size: capitals with a ring (Å) reach it.
_ASCENT = 0.95
# The fewest letters of a name a cut leaves in the header: fewer tell no one apart, so the
# number goes on a line of its own instead.
NAME_KEPT = 10
# The most empty lines a number is moved down by to find a line wide enough for it whole.
_MAX_SKIP = 12


@dataclass(frozen=True)
class PatientLine:
    """The patient line's lines (none on an anonymised sheet), their size and the step
    between their baselines, in mm."""

    lines: tuple[str, ...]
    size: float

    @property
    def step_mm(self) -> float:
        return self.size * PATIENT_LEADING * 25.4 / 72


@dataclass(frozen=True)
class Room:
    """Where the lines go: the first baseline (mm from the page's bottom), its width beside the
    QR and the code under it, and the whole width of a line whose top is below `clear_mm`."""

    first_mm: float
    narrow_mm: float
    wide_mm: float
    clear_mm: float

    def width(self, index: int, size: float) -> float:
        baseline = self.first_mm - index * size * PATIENT_LEADING * 25.4 / 72
        top = baseline + _ASCENT * size * 25.4 / 72
        return self.wide_mm if top <= self.clear_mm else self.narrow_mm


def _width_mm(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT_BOLD, size) / mm


def _sizes() -> list[float]:
    """The line's sizes, largest first, in half points down to its smallest."""
    steps = int((PATIENT_LINE_PT - PATIENT_LINE_MIN_PT) * 2)
    return [PATIENT_LINE_PT - 0.5 * i for i in range(steps + 1)]


def _wrap(text: str, size: float, room: Room, lines: list[str]) -> None:
    """The text added to `lines` wrapped at its spaces, each line as wide as its place allows;
    a word wider than its line is broken anywhere, every letter of it printed."""
    line = ""
    for word in text.split():
        joined = f"{line} {word}" if line else word
        if _width_mm(joined, size) <= room.width(len(lines), size):
            line = joined
            continue
        if line:
            lines.append(line)
        while len(word) > 1 and _width_mm(word, size) > room.width(len(lines), size):
            cut = len(word) - 1
            while cut > 1 and _width_mm(word[:cut], size) > room.width(len(lines), size):
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)


def _wrapped(name: str, identity: str, size: float, room: Room, skip: int) -> list[str] | None:
    """The name wrapped, then the identity on a line of its own (its kind above its number when
    the two are wider than the line), all under `skip` empty lines; None when the number would
    have to be broken there."""
    lines = [""] * skip
    _wrap(name, size, room, lines)
    if _width_mm(identity, size) <= room.width(len(lines), size):
        return [*lines, identity]
    label, _, number = identity.rpartition(" ")
    _wrap(label, size, room, lines)
    if _width_mm(number, size) <= room.width(len(lines), size):
        return [*lines, number]
    return None


def _cut(name: str, rest: str, size: float, width_mm: float) -> str | None:
    """The name cut with "…" so that it and `rest` fit the width, or None when that would leave
    fewer than NAME_KEPT of its letters (too little to tell the patient by)."""
    kept = name
    while kept and _width_mm(f"{kept.rstrip()}…{rest}", size) > width_mm:
        kept = kept[:-1]
    if len(kept.strip()) < min(NAME_KEPT, len(name.strip())):
        return None
    return f"{kept.rstrip()}…{rest}"


def fit_patient_line(patient: tuple[str, str] | None, room: Room) -> PatientLine:
    """One line beside the QR, as large as fits; else the whole name over the number, as large
    as fits; else one line with the name cut at the smallest size (the first page's patient box
    has it whole); else the number on a line of its own, as large as fits;
    else at the smallest size as many lines as the name needs, started lower (below the code,
    where a line has the page's whole width) when a number is wider than the room beside the
    QR. A name cut or wrapped, the number is always whole."""
    if patient is None:
        return PatientLine((), PATIENT_LINE_PT)
    name, identity = patient
    text = f"{name} · {identity}"
    for size in _sizes():
        if _width_mm(text, size) <= room.narrow_mm:
            return PatientLine((text,), size)
    # A name that fits a line whole keeps it, the number on the next: at the fax's smallest
    # size a usual long name (34 letters beside a personnummer) no longer fits on one line,
    # and cut on every page but the first it is half read.
    for size in _sizes():
        if _width_mm(name, size) > room.narrow_mm:
            continue
        if _width_mm(identity, size) <= room.width(1, size):
            return PatientLine((name, identity), size)
    # A longer name is cut, the header one line: a whole long name wrapped in every page's
    # header took a page more of a sheet at its limits, and the disc label's slip off its page.
    cut = _cut(name, f" · {identity}", PATIENT_LINE_MIN_PT, room.narrow_mm)
    if cut is not None:
        return PatientLine((cut,), PATIENT_LINE_MIN_PT)
    for size in _sizes():
        if _width_mm(identity, size) > room.width(1, size):
            continue
        first = (
            name
            if _width_mm(name, size) <= room.narrow_mm
            else _cut(name, "", size, room.narrow_mm)
        )
        if first is not None:
            return PatientLine((first, identity), size)
    for size in _sizes():
        lines = _wrapped(name, identity, size, room, 0)
        if lines is not None and len(lines) <= 2:
            return PatientLine(tuple(lines), size)
    size = PATIENT_LINE_MIN_PT
    for skip in range(_MAX_SKIP + 1):
        lines = _wrapped(name, identity, size, room, skip)
        if lines is not None:
            return PatientLine(tuple(lines), size)
    # No valid number is wider than the page: kept whole, it may run into the margin.
    lines = [""] * _MAX_SKIP
    _wrap(name, size, room, lines)
    return PatientLine((*lines, identity), size)
