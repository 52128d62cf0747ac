"""A sheet's footer: its code, its marks again and "Sida x av y", under the content frame."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from printforms.marks import Mark
from printforms.numbering import defer_page_number
from printforms.page import (
    CONTENT_LEFT_MM,
    CONTENT_WIDTH_MM,
    FONT,
    FONT_BOLD,
    FOOTER_RULE_MM,
    FRAME_BOTTOM_MM,
    INFO_PT,
    PAGE_W_MM,
)

# One footer line: the code line's baseline under the rule, and each marks line's above it.
FOOTER_LINE_MM = 4.5
BASE_MM = FOOTER_RULE_MM - FOOTER_LINE_MM
MARKS_JOIN = " · "


@dataclass(frozen=True)
class Footer:
    """Where a sheet's footer is drawn (mm from the page's bottom)."""

    text: str
    # The marks' lines, top first, each with its centre and baseline; all at INFO_PT.
    marks: tuple[tuple[str, float, float], ...]
    rule_mm: float
    frame_bottom_mm: float


def fit_footer(code: str, marks: Sequence[Mark]) -> Footer:
    """The footer with its marks between the code and the page number when they fit there at
    INFO_PT, else on lines of their own above the code line.

    A drill, a replaced version or a copy said in 6 pt was what a fax blurred away; a sheet
    with that many marks (five beside a case code: a cancelled urgent preliminary report
    reprinted in a drill) gives up a line of its content for them instead.
    """
    text = f"{code} · Reservrutin" if code else "Reservrutin"
    if not marks:
        return Footer(text, (), FOOTER_RULE_MM, FRAME_BOTTOM_MM)
    joined = MARKS_JOIN.join(m.text for m in marks)
    lo = CONTENT_LEFT_MM + _width_mm(text, FONT) + 3.0
    hi = PAGE_W_MM - CONTENT_LEFT_MM - _width_mm("Sida 99 av 99", FONT) - 3.0
    if _width_mm(joined, FONT_BOLD) <= hi - lo:
        half = _width_mm(joined, FONT_BOLD) / 2
        centre = PAGE_W_MM / 2
        if centre - half < lo or centre + half > hi:
            centre = (lo + hi) / 2
        return Footer(text, ((joined, centre, BASE_MM),), FOOTER_RULE_MM, FRAME_BOTTOM_MM)
    lines = _wrapped([m.text for m in marks], CONTENT_WIDTH_MM)
    rise = len(lines) * FOOTER_LINE_MM
    return Footer(
        text,
        tuple(
            (line, PAGE_W_MM / 2, BASE_MM + rise - i * FOOTER_LINE_MM)
            for i, line in enumerate(lines)
        ),
        FOOTER_RULE_MM + rise,
        FRAME_BOTTOM_MM + rise,
    )


def _wrapped(words: Sequence[str], width_mm: float) -> list[str]:
    """The marks on lines of at most width_mm, each mark kept whole on one line."""
    lines: list[str] = []
    for word in words:
        joined = f"{lines[-1]}{MARKS_JOIN}{word}" if lines else word
        if lines and _width_mm(joined, FONT_BOLD) <= width_mm:
            lines[-1] = joined
        else:
            lines.extend(simpleSplit(word, FONT_BOLD, INFO_PT, width_mm * mm))
    return lines


def draw_footer(canv: Canvas, footer: Footer) -> None:
    """The footer's rule, code line and marks; the canvas's state is the caller's to save."""
    left = CONTENT_LEFT_MM * mm
    right = (PAGE_W_MM - CONTENT_LEFT_MM) * mm
    canv.line(left, footer.rule_mm * mm, right, footer.rule_mm * mm)
    base = BASE_MM * mm
    canv.setFont(FONT, INFO_PT)
    canv.drawString(left, base, footer.text)
    canv.setFont(FONT_BOLD, INFO_PT)
    for line, centre, baseline in footer.marks:
        canv.drawCentredString(centre * mm, baseline * mm, line)
    defer_page_number(canv, right, base, INFO_PT, align="right")


def _width_mm(text: str, font: str) -> float:
    return pdfmetrics.stringWidth(text, font, INFO_PT) / mm
