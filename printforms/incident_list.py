"""Incident list: every case of an incident on one line, for the office and the TiB."""

from __future__ import annotations

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

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
    ("Ärendekod", 27.0),
    ("Patient", 38.0),
    ("Undersökning", 43.0),
    ("Prioritet", 21.0),
    ("Status", 28.0),
    ("Väntat", 19.0),
)
BODY_PT = 10


def _fit(text: str, width_mm: float, font: str = FONT, size: float = BODY_PT) -> str:
    """Shorten text to its column; a list line must never wrap into the next case's line."""
    limit = (width_mm - 4.5) * mm  # the table's own cell padding
    if stringWidth(text, font, size) <= limit:
        return text
    while text and stringWidth(text + "…", font, size) > limit:
        text = text[:-1]
    return text + "…"


def build_incident_list_sheet(data: IncidentListData) -> Sheet:
    """The list as a sheet; the table header repeats on every page."""
    story: list[Flowable] = field_rows(
        [
            [("Driftstopp", data.title), ("Scenario", data.scenario), ("Start", data.started_at)],
            [("Antal ärenden", str(len(data.cases)))],
        ]
    )
    widths = [w for _, w in COLUMNS]
    scale = CONTENT_WIDTH_MM / sum(widths)
    widths = [w * scale for w in widths]
    rows = [[_fit(label, w, FONT_BOLD) for (label, _), w in zip(COLUMNS, widths, strict=True)]]
    for case in data.cases:
        values = (
            case.case_code,
            case.patient,
            case.exam,
            case.priority,
            case.status,
            case.waiting_minutes,
        )
        rows.append([_fit(v, w) for v, w in zip(values, widths, strict=True)])
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, BODY_PT),
                ("FONT", (0, 1), (-1, -1), FONT, BODY_PT),
                ("FONT", (0, 1), (0, -1), FONT_BOLD, BODY_PT),
                ("LINEBELOW", (0, 0), (-1, 0), 1.0, black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.5, black),
                ("BOX", (0, 0), (-1, -1), BOX_LINE_PT, black),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    story.append(table)
    return Sheet(
        title="ÄRENDELISTA",
        code=data.incident_label,
        qr_payload=data.qr_payload,
        story=story,
        marks=sheet_marks(data.is_drill, data.reprint_at),
        department=data.department,
        pdf_title=f"Ärendelista {data.incident_label}",
    )


def render_incident_list(data: IncidentListData) -> bytes:
    """The incident list as PDF bytes."""
    return render_sheets([build_incident_list_sheet(data)])
