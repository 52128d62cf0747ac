"""Follow-up of an outage: its course and figures, for the RIS/PACS administrators' meeting."""

from __future__ import annotations

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, TableStyle

from printforms.base import (
    BOX_LINE_PT,
    CONTENT_WIDTH_MM,
    FONT,
    FONT_BOLD,
    Mark,
    Sheet,
    render_sheets,
    sheet_marks,
    styles,
)
from printforms.blocks import field_rows, heading, markup, pairs
from printforms.data_office import FollowUpData, FollowUpTable
from printforms.incident_list import wrap_cell
from printforms.paged_table import (
    BODY_PT,
    BOTTOM_PAD_PT,
    LEADING_PT,
    PAD_PT,
    TOP_PAD_PT,
    PagedTable,
    row_height,
)
from printforms.rtl import DirectedParagraph

PROVISIONAL_MARK = "PÅGÅR"


def _table(part: FollowUpTable) -> Flowable:
    total = sum(share for _, share in part.columns)
    widths = [CONTENT_WIDTH_MM * share / total for _, share in part.columns]
    rows = [
        [wrap_cell(label, w, FONT_BOLD) for (label, _), w in zip(part.columns, widths, strict=True)]
    ]
    for row in part.rows:
        rows.append([wrap_cell(value, w) for value, w in zip(row, widths, strict=True)])
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, BODY_PT, LEADING_PT),
            ("FONT", (0, 1), (-1, -1), FONT, BODY_PT, LEADING_PT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 1.5, black),
            ("BOX", (0, 0), (-1, -1), BOX_LINE_PT, black),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD_PT),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD_PT),
            ("TOPPADDING", (0, 0), (-1, -1), TOP_PAD_PT),
            ("BOTTOMPADDING", (0, 0), (-1, -1), BOTTOM_PAD_PT),
        ]
    )
    return PagedTable(rows, [row_height(r) for r in rows], [w * mm for w in widths], style)


def _part(part: FollowUpTable) -> list[Flowable]:
    # A heading is never left alone at the foot of a page, away from its table.
    out: list[Flowable] = [CondPageBreak(30 * mm), heading(part.title)]
    if part.rows:
        out.append(_table(part))
    else:
        out.append(DirectedParagraph(markup(part.empty), styles().body))
    return out


def build_followup_sheet(data: FollowUpData) -> Sheet:
    """The follow-up as a sheet: its facts in boxes, then each part under its heading."""
    story: list[Flowable] = field_rows(pairs(list(data.facts), 2))
    story.append(Spacer(1, 2 * mm))
    for part in data.sections:
        story.extend(_part(part))
    marks = sheet_marks(data.is_drill, None)
    if data.provisional_as_of:
        # A running outage's figures change: a page read later must not pass for the final one.
        marks = (*marks, Mark(PROVISIONAL_MARK, f"preliminär, per {data.provisional_as_of}"))
    info = (f"Utskriven {data.printed_at}",) if data.printed_at else ()
    return Sheet(
        title="UPPFÖLJNING AV DRIFTSTOPPET",
        code=data.incident_label,
        code_label="",
        qr_payload=data.qr_payload,
        story=story,
        marks=marks,
        department=data.department,
        pdf_title=f"Uppföljning {data.incident_label}",
        info_lines=info,
    )


def render_followup(data: FollowUpData) -> bytes:
    """The follow-up as PDF bytes."""
    return render_sheets([build_followup_sheet(data)])
