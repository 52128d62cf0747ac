"""Incident list: every case of an incident on one line, for the office and the TiB."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import Any

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from printforms.base import (
    BOX_LINE_PT,
    CONTENT_WIDTH_MM,
    FONT,
    FONT_BOLD,
    LINE_PT,
    Sheet,
    composed,
    render_sheets,
    sheet_marks,
)
from printforms.blocks import field_rows
from printforms.data import IncidentListData, SafetyAnswer

# Column widths in mm; they add up to the content width. The case code's column holds the
# widest code in bold ("WWW-WWW", 27 mm): at 20 mm a code of wide letters broke after its
# hyphen onto two lines, and a code read as two halves is a code misread.
COLUMNS = (
    ("Ärende", 27.0),
    ("Patient", 44.0),
    ("Undersökning", 47.0),
    ("Prio", 18.0),
    ("Status", 24.0),
    ("Väntat min", 16.0),
)
BODY_PT = 10
LEADING_PT = BODY_PT + 2
PAD_PT = 3
TOP_PAD_PT = 2
BOTTOM_PAD_PT = 3


# Where a word too long for its column is best broken: after a hyphen, slash, plus or comma.
_BREAK_AFTER = "-/+,"
# Heads the bold line of a case's answers that staff must act on. A word, not a warning
# triangle: a symbol at 10 pt blurs into a blot on a fax, "OBS!" is read at any resolution.
ALERT_MARK = "OBS!"
# The rule under each case's row: as thick as the box, since a 0.5 pt line vanished between
# two fax scan lines and two cases' rows ran together.
ROW_RULE = (LINE_PT, black)


def _wrap(text: str, width_mm: float, font: str = FONT) -> str:
    # Wrapped, never shortened: a cut-off patient or exam could be mistaken for another.
    # Plain strings with line breaks are much cheaper than a Paragraph per cell.
    width = width_mm * mm - 2 * PAD_PT
    lines = simpleSplit(composed(text), font, BODY_PT, width)
    if all(stringWidth(line, font, BODY_PT) <= width for line in lines):
        return "\n".join(lines)
    return "\n".join(part for line in lines for part in _break_word(line, font, width))


def _break_word(line: str, font: str, width: float) -> list[str]:
    """A line wider than its column (one long word: a double-barrelled name, an exam written
    without spaces) in pieces that fit, so it never prints over the next column."""
    parts: list[str] = []
    while stringWidth(line, font, BODY_PT) > width:
        end = 1
        while end < len(line) and stringWidth(line[: end + 1], font, BODY_PT) <= width:
            end += 1
        soft = max(line.rfind(c, 0, end - 1) for c in _BREAK_AFTER) + 1
        cut = soft if soft > 0 else end
        parts.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    return [*parts, line] if line else parts


def _answer_text(answer: SafetyAnswer) -> str:
    return f"{answer.label}: {answer.value}" if answer.value else answer.label


def _wrap_answers(texts: list[str], width_mm: float, font: str = FONT) -> str:
    """Answers one after another, a line broken between two answers rather than inside one,
    so "Metformin:" is never on one line and its "Ja" on the next."""
    width = width_mm * mm - 2 * PAD_PT
    lines: list[str] = []
    for text in [composed(t) + ";" for t in texts[:-1]] + [composed(t) for t in texts[-1:]]:
        if lines and stringWidth(f"{lines[-1]} {text}", font, BODY_PT) <= width:
            lines[-1] += f" {text}"
        else:
            lines += _wrap(text, width_mm, font).split("\n")
    return "\n".join(lines)


def _safety_lines(answers: tuple[SafetyAnswer, ...], width_mm: float) -> list[tuple[str, str]]:
    """(text, font) of the lines under a case's row: first, in bold after OBS!, the answers to
    act on (a yes to an allergy, a pacemaker); then the rest, in the referral form's order."""
    alerts = [_answer_text(a) for a in answers if a.is_alert]
    rest = [_answer_text(a) for a in answers if not a.is_alert]
    lines: list[tuple[str, str]] = []
    if alerts:
        alerts[0] = f"{ALERT_MARK} {alerts[0]}"
        lines.append((_wrap_answers(alerts, width_mm, FONT_BOLD), FONT_BOLD))
    if rest:
        lines.append((_wrap_answers(rest, width_mm), FONT))
    return lines


def _row_height(cells: list[str]) -> float:
    # The height reportlab would measure for plain-text cells, given up front: PagedTable
    # counts the rows that fit a page from it, and reportlab need not measure them again.
    return LEADING_PT * max(cell.count("\n") + 1 for cell in cells) + TOP_PAD_PT + BOTTOM_PAD_PT


class PagedTable(Flowable):
    """A long table laid out as one Table per page, each under its own header row.

    reportlab splits a long Table at a page break by building a new Table of every remaining
    row, so a checklist's cost grew with the square of its length (a 10,000-case checklist
    spent half its time there). The row heights are known up front, so the rows that fit a page
    are counted here and only they become a Table.

    joined: the rows that continue the row above (a case's safety answers). Such a row spans
    every column but the first, has no rule between it and the row above, and is never on a
    page apart from it; those in bold are in bold type. The rule under each other row is
    `rule`; `style` has the rest.
    """

    def __init__(
        self,
        rows: list[list[str]],
        heights: list[float],
        widths: list[float],
        style: TableStyle,
        *,
        rule: tuple[float, Any] = ROW_RULE,
        joined: frozenset[int] = frozenset(),
        bold: frozenset[int] = frozenset(),
        start: int = 1,
        ends: list[float] | None = None,
    ) -> None:
        super().__init__()
        self.rows = rows
        self.row_heights = heights
        self.col_widths = widths
        self.table_style = style
        self.rule = rule
        self.joined = joined
        self.bold = bold
        self._start = start
        # ends[i] is the height of rows 1..i together; the header (row 0) is counted apart.
        self._ends = ends if ends is not None else [0.0, *accumulate(heights[1:])]
        self._width = sum(widths)

    def _body(self, start: int, stop: int) -> float:
        return self._ends[stop - 1] - self._ends[start - 1]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self._width, self.row_heights[0] + self._body(self._start, len(self.rows))

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = avail_height - self.row_heights[0] + 1e-6
        stop = bisect_right(self._ends, self._ends[self._start - 1] + room)
        stop = min(stop, len(self.rows))
        while stop in self.joined:  # the row it continues moves to the next page with it
            stop -= 1
        if stop <= self._start:
            return []  # not one row fits under the header here: the next page
        page = self._table(self._start, stop)
        if stop == len(self.rows):
            return [page]
        rest = PagedTable(
            self.rows,
            self.row_heights,
            self.col_widths,
            self.table_style,
            rule=self.rule,
            joined=self.joined,
            bold=self.bold,
            start=stop,
            ends=self._ends,
        )
        return [page, rest]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        table = self._table(self._start, len(self.rows))
        table.wrapOn(canvas, self._width, self.wrap(self._width, 0)[1])
        table.drawOn(canvas, x, y, _sW)

    def _table(self, start: int, stop: int) -> Table:
        table = Table(
            [self.rows[0], *self.rows[start:stop]],
            colWidths=self.col_widths,
            rowHeights=[self.row_heights[0], *self.row_heights[start:stop]],
        )
        table.setStyle(self.table_style)
        table.setStyle(self.page_style(start, stop))
        return table

    def page_style(self, start: int, stop: int) -> TableStyle:
        """The rules and spans of rows start..stop drawn as one table under the header."""
        if not self.joined:
            return TableStyle([("LINEBELOW", (0, 1), (-1, -1), *self.rule)])
        commands: list[tuple[Any, ...]] = []
        for row in range(start, stop):
            at = row - start + 1
            if row in self.joined:
                commands.append(("SPAN", (1, at), (-1, at)))
            if row in self.bold:
                commands.append(("FONT", (1, at), (-1, at), FONT_BOLD, BODY_PT, LEADING_PT))
            if row + 1 not in self.joined:
                commands.append(("LINEBELOW", (0, at), (-1, at), *self.rule))
        return TableStyle(commands)


def build_incident_list_sheet(data: IncidentListData) -> Sheet:
    """The list as a sheet; the table header repeats on every page."""
    first_row = [("Driftstopp", data.title), ("Start", data.started_at)]
    if data.printed_at:
        # The minutes waited and every status are as of this time.
        first_row.append(("Utskriven", data.printed_at))
    story: list[Flowable] = field_rows(
        [first_row, [("Scenario", data.scenario), ("Antal ärenden", str(len(data.cases)))]]
    )
    story.append(Spacer(1, 3 * mm))
    widths = [w for _, w in COLUMNS]
    scale = CONTENT_WIDTH_MM / sum(widths)
    widths = [w * scale for w in widths]
    rows = [[_wrap(label, w, FONT_BOLD) for (label, _), w in zip(COLUMNS, widths, strict=True)]]
    joined: set[int] = set()
    bold: set[int] = set()
    for case in data.cases:
        values = (
            case.case_code,
            case.patient,
            case.exam,
            case.priority,
            case.status,
            case.waiting_minutes,
        )
        rows.append([_wrap(v, w) for v, w in zip(values, widths, strict=True)])
        # Under the case's own row, from the patient's column on: the code stays alone in its
        # column, and the answers have the width to need a line or two.
        for text, font in _safety_lines(case.safety, sum(widths[1:])):
            rows.append(["", text, *[""] * (len(widths) - 2)])
            joined.add(len(rows) - 1)
            if font == FONT_BOLD:
                bold.add(len(rows) - 1)
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, BODY_PT, LEADING_PT),
            ("FONT", (0, 1), (-1, -1), FONT, BODY_PT, LEADING_PT),
            ("FONT", (0, 1), (0, -1), FONT_BOLD, BODY_PT, LEADING_PT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (-1, 1), (-1, -1), "RIGHT"),
            # A heavier line under the header keeps it apart from the rows on a fax.
            ("LINEBELOW", (0, 0), (-1, 0), 1.5, black),
            ("BOX", (0, 0), (-1, -1), BOX_LINE_PT, black),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD_PT),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD_PT),
            ("TOPPADDING", (0, 0), (-1, -1), TOP_PAD_PT),
            ("BOTTOMPADDING", (0, 0), (-1, -1), BOTTOM_PAD_PT),
        ]
    )
    table = PagedTable(
        rows,
        [_row_height(row) for row in rows],
        [w * mm for w in widths],
        style,
        joined=frozenset(joined),
        bold=frozenset(bold),
    )
    story.append(table)
    return Sheet(
        title="ÄRENDELISTA",
        code=data.incident_label,
        # The label already names the incident ("Driftstopp 12").
        code_label="",
        qr_payload=data.qr_payload,
        story=story,
        marks=sheet_marks(data.is_drill, None),
        department=data.department,
        pdf_title=f"Ärendelista {data.incident_label}",
    )


def render_incident_list(data: IncidentListData) -> bytes:
    """The incident list as PDF bytes."""
    return render_sheets([build_incident_list_sheet(data)])
