"""A sheet and its page decoration: header, boxed marks, QR with case code, footer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from printforms.data import PAGE_FIELD
from printforms.footer import draw_footer, fit_footer
from printforms.marks import Mark
from printforms.numbering import defer_page_number
from printforms.page import (
    CONTENT_LEFT_MM,
    EDGE_MM,
    FONT,
    FONT_BOLD,
    INFO_PT,
    LINE_PT,
    PAGE_H_MM,
    PAGE_W_MM,
    one_line,
)
from printforms.patient_line import PatientLine, Room, fit_patient_line
from printforms.qr import QR_QUIET_MODULES, QrSpec, draw_qr, qr_spec, qr_spec_like

HEADER_TOP_MM = PAGE_H_MM - EDGE_MM - 1.0
MARK_BOX_H_MM = 12.0
MARK_FONT_PT = 22
MARK_DETAIL_PT = 11
# A detail's further lines (what an ÄNDRAD sheet's changes are), each under the one before.
MARK_LINE_MM = 4.7
# Cut, never shrunk: it is not what matches a page to its patient, and below the smallest fax
# size (it was 7 pt) a fax blurred it whole.
DEPARTMENT_PT = INFO_PT
# The patient line sits under the case code; marks move down by this much to make room, and
# by a step more for each further line of a patient line that wraps (printforms.patient_line).
PATIENT_LINE_MM = 7.0
# The header is laid out for the QR of this page number; a 10,000-case list has about 670.
MAX_NUMBERED_PAGE = 9999
# The code under the QR is what a secretary types when the QR will not read: its capitals are
# 4.6 mm tall, still 4.4 mm after a 95 % copy and a fax (12 pt gave 3.1 mm).
CODE_PT = 18.0
# A longer label (an incident's) shrinks to this width, but not below CODE_MIN_PT.
CODE_MAX_MM = 50.0
CODE_MIN_PT = 12.0
# Info lines under the title (when and by whom it was printed), one step each.
INFO_LINE_MM = 4.5


@dataclass
class Sheet:
    """One logical document: its own header, QR, marks and page numbering."""

    title: str
    code: str
    # With PAGE_FIELD in it, each page's QR names its page (a list scanned from its third page
    # is logged as its third page); without, every page carries the same payload. Empty: no
    # QR at all (routines printed when the laptop knew no address for tablets).
    qr_payload: str
    story: list[Flowable]
    marks: tuple[Mark, ...] = ()
    department: str = ""
    pdf_title: str = ""
    code_label: str = "Ärende"
    # (name, identity number) under the case code on every page: a fax page that came apart
    # from the first one must still be matchable to the patient. None on anonymised sheets.
    patient_line: tuple[str, str] | None = None
    # The line under the title in place of "{code_label} {code}", for a sheet whose code is
    # too long for it (an address); None keeps the label and code.
    code_line: str | None = None
    # Lines of INFO_PT text under the title on every page (when and by whom it was printed),
    # wrapped to the room beside the QR.
    info_lines: tuple[str, ...] = ()
    # Printed under the header rule on each page after the first, where the first page's
    # patient box no longer shows it: the reserve number a corrected patient was examined under.
    later_pages_note: str = ""
    _layout: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.code and not self.qr_payload:
            # A code printed for people must be there for the scan station too.
            raise ValueError(f"Ett blad med koden {self.code} måste ha sin QR-kod")
        self.title = one_line(self.title)
        self.code = one_line(self.code)
        self.department = one_line(self.department)
        self.code_label = one_line(self.code_label)
        if self.patient_line is not None:
            name, identity = self.patient_line
            self.patient_line = one_line(name), one_line(identity)
        if self.code_line is not None:
            self.code_line = one_line(self.code_line)
        self.info_lines = tuple(one_line(line) for line in self.info_lines)
        self.later_pages_note = one_line(self.later_pages_note)
        self.marks = tuple(
            Mark(one_line(m.text), one_line(m.detail), tuple(one_line(i) for i in m.items))
            for m in self.marks
        )


def page_payload(sheet: Sheet, page: int) -> str:
    """The QR payload of the sheet's page `page` (counted from 1 within the sheet)."""
    if PAGE_FIELD not in sheet.qr_payload:
        return sheet.qr_payload
    if not 1 <= page <= MAX_NUMBERED_PAGE:
        raise ValueError(f"a sheet with numbered QR codes has at most {MAX_NUMBERED_PAGE} pages")
    return sheet.qr_payload.replace(PAGE_FIELD, str(page))


def _mark_width_mm(mark: Mark) -> float:
    width = pdfmetrics.stringWidth(mark.text, FONT_BOLD, MARK_FONT_PT)
    if mark.detail:
        width += 3 * mm + pdfmetrics.stringWidth(mark.detail, FONT_BOLD, MARK_DETAIL_PT)
    return width / mm + 8.0


def layout_sheet(sheet: Sheet) -> dict[str, Any]:
    """Place QR, code and marks; returns positions in mm and where the content frame starts."""
    spec = qr_spec(page_payload(sheet, MAX_NUMBERED_PAGE)) if sheet.qr_payload else None
    right = PAGE_W_MM - EDGE_MM - 1.0
    size = spec.size_mm if spec else 0.0
    qr_x = right - size
    left_limit = qr_x - 3.0 if spec else right
    code, code_pt = _fit_code(sheet.code)
    code_w = _width_mm(code, code_pt)
    # Centred under the QR; a code wider than the QR keeps out of the edge band instead.
    code_x = min(qr_x + size / 2, right - code_w / 2)
    # The quiet zone is white, so it may lie in the edge band: the modules start where the
    # header does, and the header is no taller than when the code sat inside the zone.
    qr_y = HEADER_TOP_MM + (QR_QUIET_MODULES * spec.module_mm - size if spec else 0.0)
    # Below the whole quiet zone, which a reader expects free of print on every side.
    code_y = qr_y - _cap_height_mm(code_pt)
    # The marks' rows reach down beside the code, so they also keep clear of its width.
    marks_limit = min(left_limit, code_x - code_w / 2 - 3.0)
    # A wrapped line reaching down beside the code keeps clear of its width; once below the
    # code, a line has the page's whole width (a number of 40 wide letters needs it).
    room = Room(
        first_mm=HEADER_TOP_MM - 25.0,
        narrow_mm=marks_limit - CONTENT_LEFT_MM,
        wide_mm=PAGE_W_MM - 2 * CONTENT_LEFT_MM,
        clear_mm=code_y - 1.5,
    )
    patient = fit_patient_line(
        sheet.patient_line, replace(room, narrow_mm=left_limit - CONTENT_LEFT_MM)
    )
    if len(patient.lines) > 1:
        patient = fit_patient_line(sheet.patient_line, room)
    info_top = HEADER_TOP_MM - 25.0 - (PATIENT_LINE_MM if sheet.patient_line else 0.0)
    info_top -= patient.step_mm * max(len(patient.lines) - 1, 0)
    # Beside the QR the lines have its whole width; reaching down beside the code, not.
    info = _info_lines(sheet.info_lines, info_top, left_limit)
    if info and info[-1][1] < qr_y:
        info = _info_lines(sheet.info_lines, info_top, marks_limit)
    placed = _place_marks(sheet.marks, info_top - len(info) * INFO_LINE_MM, marks_limit)
    marks_bottom = min((box.y for box in placed), default=info_top - len(info) * INFO_LINE_MM)
    rule_y = min(marks_bottom, code_y - 2.0) - 2.5
    footer = fit_footer(sheet.code, sheet.marks)
    return {
        "qr": spec,
        "qr_x": qr_x,
        "qr_y": qr_y,
        "code": (code, code_pt, code_x, code_y),
        "marks": placed,
        "info": info,
        "rule_y": rule_y,
        "patient": patient,
        "department": _fit_department(sheet.department, left_limit - CONTENT_LEFT_MM),
        "footer": footer,
        # The content ends above the footer, which a sheet with many marks makes taller.
        "frame_bottom_mm": footer.frame_bottom_mm,
        "later_note": _later_note_lines(sheet.later_pages_note, rule_y),
    }


@dataclass(frozen=True)
class PlacedMark:
    """A mark's box (mm from the page's bottom left) and its detail's lines: the first beside
    the mark's word, the others under it."""

    mark: Mark
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]


def _detail_lines(mark: Mark, first_mm: float, rest_mm: float) -> list[str] | None:
    """The detail and the items on lines of these widths, each item kept whole; None when one
    item is wider than a whole line."""
    lines = [mark.detail]
    for i, item in enumerate(mark.items):
        item += "," if i < len(mark.items) - 1 else ""
        room = first_mm if len(lines) == 1 else rest_mm
        joined = f"{lines[-1]} {item}".strip()
        if _width_mm(joined, MARK_DETAIL_PT) <= room:
            lines[-1] = joined
        elif _width_mm(item, MARK_DETAIL_PT) <= rest_mm:
            lines.append(item)
        else:
            return None
    return lines


def _one_line_width_mm(mark: Mark) -> float:
    if not mark.items:
        return _mark_width_mm(mark)
    return _mark_width_mm(Mark(mark.text, f"{mark.detail} {', '.join(mark.items)}".strip()))


def _box(mark: Mark, x: float, limit: float) -> tuple[float, tuple[str, ...]] | None:
    """The mark's box width and detail lines from x, or None when it does not fit there."""
    width = _one_line_width_mm(mark)
    if x + width <= limit:
        single = f"{mark.detail} {', '.join(mark.items)}".strip()
        return width, ((single,) if single else ())
    if not mark.items or x > CONTENT_LEFT_MM:
        # Wrapped only on a row of its own: a tall box beside a short one wastes the row.
        return None
    word = _width_mm(mark.text, MARK_FONT_PT)
    width = limit - x
    first = width - 8.0 - 3.0 - word
    lines = _detail_lines(mark, first, width - 8.0)
    if lines is None or _width_mm(mark.detail, MARK_DETAIL_PT) > first:
        return None
    return width, tuple(lines)


def _place_marks(marks: Sequence[Mark], top: float, limit: float) -> list[PlacedMark]:
    """The marks in rows from the top down, each row as tall as its tallest box."""
    rows: list[list[tuple[Mark, float, float, tuple[str, ...]]]] = [[]]
    x = CONTENT_LEFT_MM
    for mark in marks:
        box = _box(mark, x, limit)
        if box is None and rows[-1]:
            rows.append([])
            x = CONTENT_LEFT_MM
            box = _box(mark, x, limit)
        if box is None:
            raise ValueError(f"mark too wide for the header: {mark.text} {mark.detail}")
        width, lines = box
        rows[-1].append((mark, x, width, lines))
        x += width + 3.0
    placed = []
    for row in rows:
        height = max(
            (MARK_BOX_H_MM + (len(lines) - 1) * MARK_LINE_MM for *_, lines in row if lines),
            default=MARK_BOX_H_MM,
        )
        for mark, mx, width, lines in row:
            placed.append(PlacedMark(mark, mx, top - height, width, height, lines))
        top -= height + 2.0
    return placed


def _info_lines(texts: Sequence[str], top_mm: float, limit_mm: float) -> list[tuple[str, float]]:
    """The info lines wrapped to end before limit_mm, each with its place (mm from the bottom)."""
    width = (limit_mm - CONTENT_LEFT_MM) * mm
    lines = [part for text in texts for part in simpleSplit(text, FONT, INFO_PT, width)]
    return [(line, top_mm - i * INFO_LINE_MM) for i, line in enumerate(lines)]


def _later_note_lines(text: str, rule_y: float) -> list[tuple[str, float]]:
    """The later pages' note wrapped to the content's width, each line with its baseline (mm
    from the bottom) under the header rule."""
    if not text:
        return []
    width = (PAGE_W_MM - 2 * CONTENT_LEFT_MM) * mm
    lines = simpleSplit(text, FONT_BOLD, INFO_PT, width)
    first = rule_y - 2.0 - _cap_height_mm(INFO_PT)
    return [(line, first - i * INFO_LINE_MM) for i, line in enumerate(lines)]


def later_note_mm(layout: dict[str, Any]) -> float:
    """How much lower the content starts on a page after the first, for its note."""
    lines = layout["later_note"]
    return len(lines) * INFO_LINE_MM + 1.0 if lines else 0.0


def _fit_code(code: str) -> tuple[str, float]:
    """The code under the QR and its size: large, shrunk only for a long label."""
    size = CODE_PT
    while size > CODE_MIN_PT and _width_mm(code, size) > CODE_MAX_MM:
        size -= 0.5
    return code, size


def _cap_height_mm(size: float) -> float:
    face = pdfmetrics.getFont(FONT_BOLD).face  # type: ignore[attr-defined]
    return float(face.capHeight) / 1000 * size * 25.4 / 72


def _fit_department(text: str, width_mm: float) -> tuple[str, float]:
    """The department line and its size, cut to keep out of the QR's quiet zone."""
    size = DEPARTMENT_PT
    if _width_mm(text, size, FONT) <= width_mm:
        return text, size
    while text and _width_mm(f"{text}…", size, FONT) > width_mm:
        text = text[:-1]
    return f"{text.rstrip()}…", size


def _width_mm(text: str, size: float, font: str = FONT_BOLD) -> float:
    return pdfmetrics.stringWidth(text, font, size) / mm


def draw_decor(canv: Canvas, sheet: Sheet, index: int) -> None:
    lay = sheet._layout
    spec: QrSpec | None = lay["qr"]
    pages: Counter[int] = canv._rr_sheet_pages  # type: ignore[attr-defined]
    pages[index] += 1
    if spec is not None and PAGE_FIELD in sheet.qr_payload:
        spec = qr_spec_like(page_payload(sheet, pages[index]), spec)
    canv.saveState()
    canv.setFillColor(black)
    canv.setStrokeColor(black)
    left = CONTENT_LEFT_MM * mm
    top = HEADER_TOP_MM * mm
    department, department_pt = lay["department"]
    if department:
        canv.setFont(FONT, department_pt)
        canv.drawString(left, top - 3.5 * mm, department)
    canv.setFont(FONT_BOLD, 18)
    canv.drawString(left, top - 11.5 * mm, sheet.title)
    canv.setFont(FONT_BOLD, 12)
    code_line = sheet.code_line
    if code_line is None:
        code_line = f"{sheet.code_label} {sheet.code}".strip()
    canv.drawString(left, top - 18.5 * mm, code_line)
    defer_page_number(canv, left + 60 * mm, top - 18.5 * mm, 12, bold=True)
    patient: PatientLine = lay["patient"]
    canv.setFont(FONT_BOLD, patient.size)
    for i, part in enumerate(patient.lines):
        if not part:
            continue
        y = top - 25.0 * mm - i * patient.step_mm * mm
        # The line is Swedish, name first, whatever the name's own direction (printforms.rtl).
        line = canv.beginText(left, y, direction="LTR")
        line.textOut(part)
        canv.drawText(line)

    canv.setFont(FONT, INFO_PT)
    for info_line, y in lay["info"]:
        canv.drawString(left, (y + 1.0) * mm, info_line)

    for box in lay["marks"]:
        canv.setLineWidth(2)
        canv.rect(box.x * mm, box.y * mm, box.width * mm, box.height * mm, stroke=1, fill=0)
        # The word and the detail's first line sit as in a one-line box, at the box's top.
        row_y = box.y + box.height - MARK_BOX_H_MM
        canv.setFont(FONT_BOLD, MARK_FONT_PT)
        canv.drawString((box.x + 4.0) * mm, (row_y + 3.6) * mm, box.mark.text)
        canv.setFont(FONT_BOLD, MARK_DETAIL_PT)
        for i, line in enumerate(box.lines):
            if i == 0:
                text_w = pdfmetrics.stringWidth(box.mark.text, FONT_BOLD, MARK_FONT_PT)
                left_at = (box.x + 4.0 + 3.0) * mm + text_w
            else:
                left_at = (box.x + 4.0) * mm
            canv.drawString(left_at, (row_y + 4.2 - i * MARK_LINE_MM) * mm, line)

    if spec is not None:
        draw_qr(canv, spec, lay["qr_x"] * mm, lay["qr_y"] * mm)
    code, code_pt, code_x, code_y = lay["code"]
    if code:
        canv.setFont(FONT_BOLD, code_pt)
        canv.drawCentredString(code_x * mm, code_y * mm, code)

    canv.setLineWidth(LINE_PT)
    canv.line(left, lay["rule_y"] * mm, (PAGE_W_MM - CONTENT_LEFT_MM) * mm, lay["rule_y"] * mm)
    if pages[index] > 1:
        canv.setFont(FONT_BOLD, INFO_PT)
        for note_line, y in lay["later_note"]:
            canv.drawString(left, y * mm, note_line)

    draw_footer(canv, lay["footer"])
    canv.restoreState()
    canv._rr_sheet = index  # type: ignore[attr-defined]
