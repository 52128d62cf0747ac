"""Incident list: every case of an incident on one line, for the office and the TiB."""

from __future__ import annotations

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from printforms.base import (
    BOX_LINE_PT,
    CONTENT_WIDTH_MM,
    FONT,
    FONT_BOLD,
    Sheet,
    render_sheets,
    sheet_marks,
)
from printforms.blocks import field_rows
from printforms.data import IncidentListData

# Column widths in mm; they add up to the content width.
COLUMNS = (
    ("Ärende", 20.0),
    ("Patient", 44.0),
    ("Undersökning", 54.0),
    ("Prio", 18.0),
    ("Status", 24.0),
    ("Väntat min", 16.0),
)
BODY_PT = 10
LEADING_PT = BODY_PT + 2
PAD_PT = 3
TOP_PAD_PT = 2
BOTTOM_PAD_PT = 3


def _wrap(text: str, width_mm: float, font: str = FONT) -> str:
    # Wrapped, never shortened: a cut-off patient or exam could be mistaken for another.
    # Plain strings with line breaks are much cheaper than a Paragraph per cell.
    return "\n".join(simpleSplit(text, font, BODY_PT, width_mm * mm - 2 * PAD_PT))


def _row_height(cells: list[str]) -> float:
    # The height reportlab would measure for plain-text cells, given up front: reportlab
    # measures the rows again every time a long table is split over a page, which was a
    # quarter of the time of a 10,000-case checklist.
    return LEADING_PT * max(cell.count("\n") + 1 for cell in cells) + TOP_PAD_PT + BOTTOM_PAD_PT


def build_incident_list_sheet(data: IncidentListData) -> Sheet:
    """The list as a sheet; the table header repeats on every page."""
    story: list[Flowable] = field_rows(
        [
            [("Driftstopp", data.title), ("Start", data.started_at)],
            [("Scenario", data.scenario), ("Antal ärenden", str(len(data.cases)))],
        ]
    )
    story.append(Spacer(1, 3 * mm))
    widths = [w for _, w in COLUMNS]
    scale = CONTENT_WIDTH_MM / sum(widths)
    widths = [w * scale for w in widths]
    rows = [[_wrap(label, w, FONT_BOLD) for (label, _), w in zip(COLUMNS, widths, strict=True)]]
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
    table = Table(
        rows,
        colWidths=[w * mm for w in widths],
        rowHeights=[_row_height(row) for row in rows],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, BODY_PT, LEADING_PT),
                ("FONT", (0, 1), (-1, -1), FONT, BODY_PT, LEADING_PT),
                ("FONT", (0, 1), (0, -1), FONT_BOLD, BODY_PT, LEADING_PT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (-1, 1), (-1, -1), "RIGHT"),
                # A heavier line under the header keeps it apart from the rows on a fax.
                ("LINEBELOW", (0, 0), (-1, 0), 1.5, black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.5, black),
                ("BOX", (0, 0), (-1, -1), BOX_LINE_PT, black),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD_PT),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD_PT),
                ("TOPPADDING", (0, 0), (-1, -1), TOP_PAD_PT),
                ("BOTTOMPADDING", (0, 0), (-1, -1), BOTTOM_PAD_PT),
            ]
        )
    )
    story.append(table)
    return Sheet(
        title="ÄRENDELISTA",
        code=data.incident_label,
        # The label already names the incident ("Driftstopp 12").
        code_label="",
        qr_payload=data.qr_payload,
        story=story,
        marks=sheet_marks(data.is_drill, data.reprint_at),
        department=data.department,
        pdf_title=f"Ärendelista {data.incident_label}",
    )


def render_incident_list(data: IncidentListData) -> bytes:
    """The incident list as PDF bytes."""
    return render_sheets([build_incident_list_sheet(data)])
