"""Red-tray cover sheet (röd back): what the case holds and the catch-up steps to tick."""

from __future__ import annotations

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from printforms.base import BOX_LINE_PT, CONTENT_WIDTH_MM, Sheet, render_sheets, sheet_marks, styles
from printforms.blocks import CHECKBOX_MM, WritingLines, blank_rows, field_rows, heading, markup
from printforms.data import RedTrayData
from printforms.referral import earlier_reserve_note, patient_boxes, running_patient
from printforms.rtl import DirectedParagraph

# The routines keep the paper until the radiologist has completed the exam in RIS (signed off
# the korr-lista), which comes after the secretaries' last tick: said where the ticks end.
KEEP_UNTIL = (
    "Remiss, dokumentation och utlåtande ligger kvar tillsammans i röda backen tills "
    "radiologen har avslutat undersökningen i RIS."
)


class _TickBox(Flowable):
    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return CHECKBOX_MM * mm * 1.4, CHECKBOX_MM * mm * 1.4

    def draw(self) -> None:
        self.canv.setLineWidth(1.0)
        self.canv.setStrokeColor(black)
        side = CHECKBOX_MM * mm * 1.4
        self.canv.rect(0, 0, side, side, stroke=1, fill=0)


def _steps_table(steps: tuple[str, ...]) -> Table:
    st = styles()
    col = [12 * mm, (CONTENT_WIDTH_MM - 12 - 30 - 30) * mm, 30 * mm, 30 * mm]
    rows = [
        [
            Paragraph("", st.label),
            Paragraph("Steg", st.label),
            Paragraph("Signatur", st.label),
            Paragraph("Datum", st.label),
        ]
    ]
    for step in steps:
        rows.append(
            [
                _TickBox(),
                DirectedParagraph(markup(step), st.value),
                WritingLines(26 * mm, 1),
                WritingLines(26 * mm, 1),
            ]
        )
    table = Table(rows, colWidths=col, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), BOX_LINE_PT, black),
                ("INNERGRID", (0, 0), (-1, -1), BOX_LINE_PT, black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                # Enough above and below the 8 mm writing line for a signature; 5 pt each took
                # the room the RIS number boxes needed on a reprint after an identity correction.
                ("TOPPADDING", (0, 1), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 2),
            ]
        )
    )
    return table


def build_cover_sheet(data: RedTrayData) -> Sheet:
    """The cover sheet that keeps one case's paper together in the red tray."""
    st = styles()
    story: list[Flowable] = [Paragraph(markup(data.meta.case_code), st.big), Spacer(1, 2 * mm)]
    story += patient_boxes(data.patient)
    story += field_rows([[("Undersökning", data.exam)]])
    # A labelled box, no heading of its own: the heading's line was the room a reprint lacked.
    story += field_rows([[("Dokument i ärendet", ", ".join(data.documents) or "–")]])
    # One block: the RIS numbers are written where the steps are ticked, so they never go on
    # alone to a page that comes apart from the cover in the red tray.
    catch_up: list[Flowable] = [heading("Efterregistrering i RIS")]
    catch_up += [_steps_table(data.catch_up_steps), Spacer(1, 2 * mm)]
    catch_up += blank_rows([[("RIS accessionsnummer", 1), ("RIS undersökningsnummer", 1)]])
    catch_up.append(DirectedParagraph(markup(KEEP_UNTIL), st.label))
    story += [KeepTogether(catch_up)]
    return Sheet(
        title="RÖD BACK",
        code=data.meta.case_code,
        qr_payload=data.meta.qr_payload,
        story=story,
        marks=sheet_marks(
            data.meta.is_drill,
            data.meta.reprint_at,
            is_cancelled=data.meta.is_cancelled,
            changed_since=data.meta.changed_since,
            changed_parts=data.meta.changed_parts,
        ),
        department=data.meta.department,
        pdf_title=f"Röd back {data.meta.case_code}",
        patient_line=running_patient(data.patient),
        later_pages_note=earlier_reserve_note(data.patient),
    )


def render_cover(data: RedTrayData) -> bytes:
    """The red-tray cover sheet as PDF bytes."""
    return render_sheets([build_cover_sheet(data)])
