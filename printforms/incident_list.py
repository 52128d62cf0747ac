"""Incident list: every case of an incident on one line, for the office and the TiB."""

from __future__ import annotations

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, TableStyle

from printforms.base import (
    BOX_LINE_PT,
    CONTENT_WIDTH_MM,
    FONT,
    FONT_BOLD,
    Sheet,
    plain,
    render_sheets,
    sheet_marks,
)
from printforms.blocks import field_rows
from printforms.data import IncidentListData, SafetyAnswer
from printforms.paged_table import (
    BODY_PT,
    BOTTOM_PAD_PT,
    LEADING_PT,
    PAD_PT,
    TOP_PAD_PT,
    PagedTable,
    row_height,
)

# Column widths in mm; they add up to the content width. The case code's column holds the
# widest code in bold ("WWW-WWW", 27 mm): at 20 mm a code of wide letters broke after its
# hyphen onto two lines, and a code read as two halves is a code misread. The wait's holds
# "23 h 59 min" and "12 d 23 h" on one line ("12 d 23" over "h" reads as 23 minutes); its
# width came from the exam's, whose words wrap at their spaces.
COLUMNS = (
    ("Ärende", 27.0),
    ("Patient", 44.0),
    ("Undersökning", 39.0),
    ("Prio", 18.0),
    ("Status", 24.0),
    ("Väntat", 24.0),
)

# Where a word too long for its column is best broken: after a hyphen, slash, plus or comma.
_BREAK_AFTER = "-/+,"
# Heads the bold line of a case's answers that staff must act on. A word, not a warning
# triangle: a symbol at 10 pt blurs into a blot on a fax, "OBS!" is read at any resolution.
ALERT_MARK = "OBS!"


def wrap_cell(text: str, width_mm: float, font: str = FONT) -> str:
    """A table cell's text in lines that fit its column (of width_mm, with its padding)."""
    # Wrapped, never shortened: a cut-off patient or exam could be mistaken for another.
    # Plain strings with line breaks are much cheaper than a Paragraph per cell.
    width = width_mm * mm - 2 * PAD_PT
    lines = simpleSplit(plain(text), font, BODY_PT, width)
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
    for text in [plain(t) + ";" for t in texts[:-1]] + [plain(t) for t in texts[-1:]]:
        if lines and stringWidth(f"{lines[-1]} {text}", font, BODY_PT) <= width:
            lines[-1] += f" {text}"
        else:
            lines += wrap_cell(text, width_mm, font).split("\n")
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


def build_incident_list_sheet(data: IncidentListData) -> Sheet:
    """The list as a sheet; the table header repeats on every page."""
    first_row = [("Driftstopp", data.title), ("Start", data.started_at)]
    if data.printed_at:
        # The minutes waited and every status are as of this time.
        first_row.append(("Utskriven", data.printed_at))
    header_rows = [
        first_row,
        [("Scenario", data.scenario), ("Antal ärenden", str(len(data.cases)))],
    ]
    if data.scope:
        header_rows.append([("Innehåll", data.scope)])
    story: list[Flowable] = field_rows(header_rows)
    story.append(Spacer(1, 3 * mm))
    widths = [w for _, w in COLUMNS]
    scale = CONTENT_WIDTH_MM / sum(widths)
    widths = [w * scale for w in widths]
    rows = [[wrap_cell(label, w, FONT_BOLD) for (label, _), w in zip(COLUMNS, widths, strict=True)]]
    joined: set[int] = set()
    bold: set[int] = set()
    for case in data.cases:
        values = (
            case.case_code,
            case.patient,
            case.exam,
            case.priority,
            case.status,
            case.waited,
        )
        rows.append([wrap_cell(v, w) for v, w in zip(values, widths, strict=True)])
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
        [row_height(row) for row in rows],
        [w * mm for w in widths],
        style,
        joined=frozenset(joined),
        bold=frozenset(bold),
        # A cut case's code and patient come again over the rest of it.
        carried=2,
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
