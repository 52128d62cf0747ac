"""Renders a list of sheets to PDF; the one import point for what every sheet module shares."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from printforms.header import Sheet, draw_decor, later_note_mm, layout_sheet
from printforms.marks import Mark, sheet_marks
from printforms.numbering import SheetCanvas, defer_page_number
from printforms.page import (
    BOX_LINE_PT,
    CONTENT_LEFT_MM,
    CONTENT_WIDTH_MM,
    EDGE_MM,
    FONT,
    FONT_BOLD,
    FONT_DIR,
    FOOTER_RULE_MM,
    FRAME_BOTTOM_MM,
    LINE_PT,
    PAGE_H_MM,
    PAGE_W_MM,
    Styles,
    composed,
    one_line,
    plain,
    register_fonts,
    styles,
)

__all__ = [
    "BOX_LINE_PT",
    "CONTENT_LEFT_MM",
    "CONTENT_WIDTH_MM",
    "EDGE_MM",
    "FONT",
    "FONT_BOLD",
    "FONT_DIR",
    "FOOTER_RULE_MM",
    "FRAME_BOTTOM_MM",
    "LINE_PT",
    "PAGE_H_MM",
    "PAGE_W_MM",
    "Mark",
    "Sheet",
    "Styles",
    "composed",
    "content_frame",
    "defer_page_number",
    "fits_one_page",
    "one_line",
    "plain",
    "register_fonts",
    "render_sheets",
    "sheet_marks",
    "styles",
]


def content_frame(
    layout: dict[str, Any], frame_id: str = "content", below_mm: float = 0.0
) -> Frame:
    """The frame a sheet's story flows into on each page, under its header (and below_mm
    lower, under a later page's note)."""
    top = layout["rule_y"] - 3.0 - below_mm
    bottom = layout["frame_bottom_mm"]
    return Frame(
        CONTENT_LEFT_MM * mm,
        bottom * mm,
        CONTENT_WIDTH_MM * mm,
        (top - bottom) * mm,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=frame_id,
    )


def fits_one_page(sheet: Sheet) -> bool:
    """Whether the sheet's story fits its first page (laid out on a scratch canvas)."""
    frame = content_frame(layout_sheet(sheet))
    scratch = Canvas(io.BytesIO())
    return all(frame.add(flowable, scratch) for flowable in sheet.story)


def render_sheets(sheets: Sequence[Sheet]) -> bytes:
    """Render sheets into one PDF; each sheet starts on a new page with its own numbering."""
    if not sheets:
        raise ValueError("nothing to render")
    register_fonts()
    templates = []
    story: list[Flowable] = []
    for index, sheet in enumerate(sheets):
        sheet._layout = layout_sheet(sheet)
        frame = content_frame(sheet._layout, f"f{index}")

        def on_page(canv: Canvas, _doc: BaseDocTemplate, s: Sheet = sheet, i: int = index) -> None:
            draw_decor(canv, s, i)

        later_mm = later_note_mm(sheet._layout)
        if later_mm:
            # The pages after the first start lower, under the note the first page's boxes gave.
            later = content_frame(sheet._layout, f"f{index}+", later_mm)
            templates.append(
                PageTemplate(
                    id=f"s{index}",
                    frames=[frame],
                    onPage=on_page,
                    autoNextPageTemplate=f"s{index}+",
                )
            )
            templates.append(
                PageTemplate(
                    id=f"s{index}+",
                    frames=[later],
                    onPage=on_page,
                    autoNextPageTemplate=f"s{index}+",
                )
            )
        else:
            templates.append(PageTemplate(id=f"s{index}", frames=[frame], onPage=on_page))
        if index:
            story.extend([NextPageTemplate(f"s{index}"), PageBreak()])
        story.extend(sheet.story)

    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        pageTemplates=templates,
        title=sheets[0].pdf_title or sheets[0].title,
        author="Reservrutin",
        creator="Reservrutin",
        subject=sheets[0].code,
        leftMargin=CONTENT_LEFT_MM * mm,
        rightMargin=CONTENT_LEFT_MM * mm,
        topMargin=EDGE_MM * mm,
        bottomMargin=FRAME_BOTTOM_MM * mm,
    )
    doc.build(story, canvasmaker=SheetCanvas)
    return buf.getvalue()
