"""Flowables the sheets are built from: labelled boxes, free-text sections, writing lines."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from printforms.base import (
    BOX_LINE_PT,
    CONTENT_WIDTH_MM,
    FONT,
    LINE_PT,
    composed,
    one_line,
    styles,
)
from printforms.rtl import DirectedParagraph

# Handwriting needs room: 8 mm between lines fits a hurried capital letter.
WRITING_LINE_MM = 8.0
CHECKBOX_MM = 5.0
# A box taller than a page (a pasted address of many lines) is split between pages, never
# into a piece shorter than this: a box of a few lines moves to the next page whole.
SPLIT_BOX_MIN_MM = 40.0
BOX_PADDING_PT = 4
# In the box of an optional field left empty: an empty box reads as a value the print lost, or
# as one to write in by hand.
NOT_GIVEN = "–"


def markup(text: str) -> str:
    """Escape user text for a Paragraph and keep its line breaks."""
    return escape(composed(text)).replace("\r\n", "\n").replace("\n", "<br/>")


def clipped(text: str, width_mm: float, max_lines: int) -> str:
    """The text as a boxed value of width_mm shows it in at most max_lines, cut with "…"."""
    style = styles().value
    limit = max_lines * style.leading
    inner = width_mm * mm - 2 * BOX_PADDING_PT

    def fits(candidate: str) -> bool:
        return Paragraph(markup(candidate), style).wrap(inner, 1e9)[1] <= limit

    if fits(text):
        return text
    # The raw text is cut, not its markup: a glyph-less character's code is kept or dropped
    # whole, never left half-printed as "[U+1F".
    keep, over = 0, len(text)
    while over - keep > 1:
        mid = (keep + over) // 2
        if fits(f"{text[:mid].rstrip()}…"):
            keep = mid
        else:
            over = mid
    return f"{text[:keep].rstrip()}…"


class BoxTable(Table):
    """A row of boxes that splits between pages only into pieces of SPLIT_BOX_MIN_MM or more.

    Except at the top of a page: a box that does not fit there fits on no page, and a
    remainder shorter than the minimum is better than no paper at all for the case.
    """

    splitInRow: float  # reportlab sets it untyped

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        pieces: list[Flowable] = super().split(availWidth, availHeight)
        frame = getattr(self, "_frame", None)
        if pieces or frame is None or not frame._atTop:
            return pieces
        least = self.splitInRow
        self.splitInRow = 1
        try:
            return list(super().split(availWidth, availHeight))
        finally:
            self.splitInRow = least


def box_style() -> TableStyle:
    """Black 0.75 pt boxes around and between cells."""
    return TableStyle(
        [
            ("BOX", (0, 0), (-1, -1), BOX_LINE_PT, black),
            ("INNERGRID", (0, 0), (-1, -1), BOX_LINE_PT, black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), BOX_PADDING_PT),
            ("RIGHTPADDING", (0, 0), (-1, -1), BOX_PADDING_PT),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
    )


def _widths(count: int, width_mm: float) -> list[float]:
    return [width_mm / count * mm] * count


def field_rows(
    rows: Sequence[Sequence[tuple[str, str]]],
    width_mm: float = CONTENT_WIDTH_MM,
    weights: Sequence[float] | None = None,
) -> list[Flowable]:
    """Boxed label/value cells; one table per row so long forms can break between rows.

    weights: the share of the width each cell of every row takes (else equal shares).
    """
    st = styles()
    out: list[Flowable] = []
    for row in rows:
        cells = [
            [DirectedParagraph(markup(label), st.label), DirectedParagraph(markup(value), st.value)]
            for label, value in row
        ]
        widths = (
            [width_mm * w / sum(weights) * mm for w in weights]
            if weights
            else _widths(len(row), width_mm)
        )
        table = BoxTable([cells], colWidths=widths, splitInRow=SPLIT_BOX_MIN_MM * mm)
        table.setStyle(box_style())
        out.append(table)
    return out


def pairs(items: Sequence[tuple[str, str]], per_row: int = 2) -> list[list[tuple[str, str]]]:
    """Group label/value pairs into rows; the last row is padded with empty cells."""
    rows = [list(items[i : i + per_row]) for i in range(0, len(items), per_row)]
    if rows and len(rows[-1]) < per_row:
        rows[-1].extend([("", "")] * (per_row - len(rows[-1])))
    return rows


# The OBS box's frame: twice a field box's, so it reads as a warning after two photocopies.
WARNING_BOX_PT = 2.0


def warning_box(warnings: Sequence[str]) -> list[Flowable]:
    """A heavy box headed OBS, one bold line per warning: the ticked box of the paper referral.

    Black only and bold: a fax has no colour, and thin strokes vanish at standard resolution.
    """
    if not warnings:
        return []
    st = styles()
    rows = [[DirectedParagraph("OBS", st.warning_title)]]
    rows += [[DirectedParagraph(markup(f"– {text}"), st.value)] for text in warnings]
    table = Table(rows, colWidths=[CONTENT_WIDTH_MM * mm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), WARNING_BOX_PT, black),
                ("LEFTPADDING", (0, 0), (-1, -1), BOX_PADDING_PT + 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), BOX_PADDING_PT + 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return [Spacer(1, 1 * mm), table, Spacer(1, 2 * mm)]


def heading(text: str, space_before_pt: float | None = None) -> Paragraph:
    style = styles().heading
    if space_before_pt is not None:
        style = ParagraphStyle(
            f"{style.name}-{space_before_pt}", style, spaceBefore=space_before_pt
        )
    return DirectedParagraph(markup(text), style)


def text_section(
    title: str, text: str, space_mm: float = 2.0, keep_mm: float = 25.0
) -> list[Flowable]:
    """A heading over free text that flows across pages paragraph by paragraph.

    keep_mm is the room the title needs below it to stay on this page.
    """
    st = styles()
    section: list[Flowable] = [
        Spacer(1, space_mm * mm),
        Rule(),
        DirectedParagraph(markup(title), st.small_heading),
    ]
    for paragraph in text.replace("\r\n", "\n").split("\n\n"):
        section.append(DirectedParagraph(markup(paragraph.strip("\n")), st.body))
    # A conditional page break, not keepWithNext: keeping the title with a long text would
    # move the whole text to the next page and leave most of this one empty.
    return [RoomFor(keep_mm * mm, section), *section]


class RoomFor(CondPageBreak):
    """A page break unless the room below holds height, or the whole section when it is less.

    A plain CondPageBreak moved a short section (an addendum of one line) that fitted whole
    onto a page of its own, after urgent calls that had left it the room.
    """

    def __init__(self, height: float, section: Sequence[Flowable]) -> None:
        super().__init__(height)
        self.keep = height
        self.section = section

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        taken = 0.0
        for flowable in self.section:
            taken += flowable.getSpaceBefore() + flowable.wrap(availWidth, availHeight)[1]
            taken += flowable.getSpaceAfter()
            if taken >= self.keep:
                break
        self.height = min(self.keep, taken)
        return super().wrap(availWidth, availHeight)


class Rule(Flowable):
    """A full-width 0.75 pt line."""

    def __init__(self, width_mm: float = CONTENT_WIDTH_MM, space_mm: float = 1.0) -> None:
        super().__init__()
        self.width = width_mm * mm
        self.height = space_mm * mm

    def draw(self) -> None:
        self.canv.setLineWidth(LINE_PT)
        self.canv.setStrokeColor(black)
        self.canv.line(0, self.height, self.width, self.height)


class WritingLines(Flowable):
    """Empty ruled lines for handwriting."""

    def __init__(self, width: float, lines: int) -> None:
        super().__init__()
        self.width = width
        self.lines = lines
        self.height = lines * WRITING_LINE_MM * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        # Not thinner: at standard fax resolution a scan line is 0.26 mm, and a 0.5 pt line
        # falling between two of them vanished.
        self.canv.setLineWidth(LINE_PT)
        self.canv.setStrokeColor(black)
        for i in range(self.lines):
            y = self.height - (i + 1) * WRITING_LINE_MM * mm + 1.0 * mm
            self.canv.line(0, y, self.width, y)


class CheckOptions(Flowable):
    """A row of empty tick boxes, each followed by its option text."""

    LINE_H = 7 * mm

    def __init__(self, options: Sequence[str], size: float = 11) -> None:
        super().__init__()
        self.options = [one_line(option) for option in options]
        self.size = size
        self.width = 0.0
        self.height = self.LINE_H
        self._placed: list[tuple[list[str], float, int]] = []

    def _advance(self, option: str) -> float:
        return (CHECKBOX_MM + 6) * mm + stringWidth(option, FONT, self.size)

    def _text_lines(self, option: str, width: float) -> list[str]:
        """The option's text in lines no wider than width; a longer word in pieces."""
        lines: list[str] = []
        for line in simpleSplit(option, FONT, self.size, width):
            while len(line) > 1 and stringWidth(line, FONT, self.size) > width:
                end = len(line) - 1
                while end > 1 and stringWidth(line[:end], FONT, self.size) > width:
                    end -= 1
                lines.append(line[:end])
                line = line[end:]
            lines.append(line)
        return lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # Options that do not fit go to the next line: a site may have many priorities, and
        # one drawn past the edge could not be ticked (nor read on a fax).
        self.width = avail_width
        self._placed = []
        x, line = 0.0, 0
        for option in self.options:
            if x and x + self._advance(option) - 6 * mm > avail_width:
                x, line = 0.0, line + 1
            if self._advance(option) - 6 * mm <= avail_width:
                self._placed.append(([option], x, line))
                x += self._advance(option)
                continue
            # Wider than a line on its own (a site's priority label has no length limit): its
            # text goes on under it, and the next option starts on a line of its own.
            lines = self._text_lines(option, avail_width - (CHECKBOX_MM + 1.5) * mm)
            self._placed.append((lines, x, line))
            x, line = avail_width, line + len(lines) - 1
        self.height = self.LINE_H * (line + 1)
        return avail_width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.setLineWidth(BOX_LINE_PT)
        canv.setStrokeColor(black)
        canv.setFillColor(black)
        canv.setFont(FONT, self.size)
        for lines, x, line in self._placed:
            y = self.height - (line + 1) * self.LINE_H
            canv.rect(x, y + 1 * mm, CHECKBOX_MM * mm, CHECKBOX_MM * mm, stroke=1, fill=0)
            for i, text in enumerate(lines):
                canv.drawString(x + (CHECKBOX_MM + 1.5) * mm, y + 1.8 * mm - i * self.LINE_H, text)


def blank_rows(
    rows: Sequence[Sequence[tuple[str, int]]], width_mm: float = CONTENT_WIDTH_MM
) -> list[Flowable]:
    """Boxed labels with empty writing lines under them, for the binder forms."""
    st = styles()
    out: list[Flowable] = []
    for row in rows:
        col_w = width_mm / len(row) * mm
        cells = [
            [DirectedParagraph(markup(label), st.label), WritingLines(col_w - 8, lines)]
            for label, lines in row
        ]
        table = Table([cells], colWidths=[col_w] * len(row))
        table.setStyle(box_style())
        out.append(table)
    return out


def blank_options(label: str, options: Sequence[str]) -> Flowable:
    """A boxed label with tick boxes, e.g. priority."""
    st = styles()
    table = Table(
        [[[DirectedParagraph(markup(label), st.label), CheckOptions(options)]]],
        colWidths=[CONTENT_WIDTH_MM * mm],
    )
    table.setStyle(box_style())
    return table


# Over the sender's numbers when the site configured none: a box to write them in by hand, as
# a printed value left empty reads as something the app forgot, and the referrer needs a way back.
NUMBERS_TO_WRITE = "Fax / telefon (fyll i)"


def numbers_label(fax: str, phone: str) -> str:
    """The label over a sender's numbers, saying what each is: a lone phone under "Fax /
    telefon" could be faxed to."""
    if fax and phone:
        return "Fax / telefon"
    return "Fax" if fax else "Telefon"


def sender_row(department: str, fax: str, phone: str, numbers: str) -> list[Flowable]:
    """Från and the sender's numbers (`numbers` as the sheet shows them) in two equal boxes;
    with neither number configured, the second is a box to write them in."""
    if fax or phone:
        return field_rows([[("Från", department), (numbers_label(fax, phone), numbers)]])
    st = styles()
    width = CONTENT_WIDTH_MM / 2 * mm
    cells = [
        [
            DirectedParagraph(markup("Från"), st.label),
            DirectedParagraph(markup(department), st.value),
        ],
        [DirectedParagraph(markup(NUMBERS_TO_WRITE), st.label), WritingLines(width - 8, 1)],
    ]
    table = BoxTable([cells], colWidths=[width] * 2, splitInRow=SPLIT_BOX_MIN_MM * mm)
    table.setStyle(box_style())
    return [table]
