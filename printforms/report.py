"""Report (utlåtande) with its fax header block."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from printforms.base import (
    CONTENT_WIDTH_MM,
    FONT,
    FONT_BOLD,
    Mark,
    Sheet,
    defer_page_number,
    render_sheets,
    sheet_marks,
    styles,
)
from printforms.blocks import (
    BOX_PADDING_PT,
    Rule,
    box_style,
    field_rows,
    heading,
    markup,
    sender_row,
    text_section,
)
from printforms.data import Addendum, FaxHeader, ReportData, UrgentCall
from printforms.phone_lines import kept_whole
from printforms.referral import earlier_reserve_note, patient_boxes, running_patient
from printforms.rtl import DirectedParagraph, base_direction

# Unit, clinician and reply fax in one row, the short fax number narrowest: a row of its own,
# or the clinician under the unit, made a report with all three at the referral's limits (200,
# 200 and 40 characters) spill onto a second page that the unit alone left it on one.
TO_WEIGHTS = (3, 3, 2)


class _PageCount(Flowable):
    """ "Sida x av y" inside the fax block; the numbers are filled in when the PDF is saved."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, 15

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 3)
        defer_page_number(self.canv, x, y, 12, bold=True)


# The sent row when the sender's numbers have hours: the hours between the time and the page
# count, whose short values need a quarter of the width each. Beside the numbers, in a row of
# their own or under them, they took the lines a report at the addressee's limits has left.
SENT_WITH_HOURS_MM = (48.0, CONTENT_WIDTH_MM - 84.0, 36.0)


def _numbers(*numbers: str) -> str:
    return " / ".join(n for n in numbers if n)


def _value_numbers(width_mm: float, *numbers: str) -> str:
    """The numbers as a box's bold value of width_mm shows them, each kept whole if it fits."""
    return kept_whole(_numbers(*numbers), width_mm * mm - 2 * BOX_PADDING_PT, FONT_BOLD, 12)


def call_back(fax: FaxHeader, width_mm: float = CONTENT_WIDTH_MM) -> str:
    """Whom to ring with questions: the sender's phone, else its fax, as a box's bold value of
    width_mm shows it. Their hours are in the fax block above it; a second time here took a
    cancel notice at the limits onto two pages.

    The department is named where it takes a line at most: a long one, said again here, took
    a short notice's last box onto a page of its own. It stands in the fax block's Från.
    """
    if not (fax.from_phone or fax.from_fax):
        # None configured: the department alone, not a bare "fax" (the fax block above has a
        # box for the numbers to be written in).
        return fax.from_department
    kind, number = ("telefon", fax.from_phone) if fax.from_phone else ("fax", fax.from_fax)
    ring = f"{kind} {_value_numbers(width_mm, number)}"
    named = f"{fax.from_department}, {ring}"
    inner = width_mm * mm - 2 * BOX_PADDING_PT
    value = styles().value

    def height(text: str) -> float:
        return float(Paragraph(markup(text), value).wrap(inner, 1e9)[1])

    return named if height(named) <= height(ring) + value.leading else ring


def _cell(label: str, value: Flowable) -> list[Flowable]:
    return [Paragraph(label, styles().label), value]


def _sent_row(fax: FaxHeader) -> Table:
    st = styles()
    sent = _cell("Skickat", DirectedParagraph(markup(fax.sent_at), st.value))
    pages = _cell("Sidor", _PageCount())
    if not fax.from_hours:
        last = Table([[sent, pages]], colWidths=[CONTENT_WIDTH_MM / 2 * mm] * 2)
    else:
        inner = SENT_WITH_HOURS_MM[1] * mm - 2 * BOX_PADDING_PT
        then = kept_whole(_numbers(fax.then_fax, fax.then_phone), inner, FONT, st.label.fontSize)
        hours = f"{fax.from_hours}; därefter {then}"
        # In the label's size: in the value's, the numbers after the hours took three lines
        # more and a report at the addressee's limits onto a second page.
        answers = _cell("Fax / telefon svarar", DirectedParagraph(markup(hours), st.label))
        last = Table([[sent, answers, pages]], colWidths=[w * mm for w in SENT_WITH_HOURS_MM])
    last.setStyle(box_style())
    return last


def fax_block(fax: FaxHeader) -> list[Flowable]:
    """Till / Från / Datum / Sida: what a fax cover would say, on the first page."""
    half = CONTENT_WIDTH_MM / 2
    if fax.to_clinician:
        to_fax = _value_numbers(CONTENT_WIDTH_MM * TO_WEIGHTS[2] / sum(TO_WEIGHTS), fax.to_fax)
        to = field_rows(
            [[("Till", fax.to_unit), ("Remittent", fax.to_clinician), (fax.to_label, to_fax)]],
            weights=TO_WEIGHTS,
        )
    else:
        to = field_rows([[("Till", fax.to_unit), (fax.to_label, _value_numbers(half, fax.to_fax))]])
    numbers = _value_numbers(half, fax.from_fax, fax.from_phone)
    rows = to + sender_row(fax.from_department, fax.from_fax, fax.from_phone, numbers)
    return [*rows, _sent_row(fax)]


def report_story(
    sections: tuple[tuple[str, str], ...],
    radiologist: str,
    signature_state: str,
    signed_at: str,
) -> list[Flowable]:
    """The sections and the signature line, shared with the anonymised report."""
    story: list[Flowable] = []
    for title, text in sections:
        if text.strip():
            story += text_section(title, text)
    story += [Spacer(1, 3 * mm)]
    story += field_rows(
        [[("Radiolog", radiologist), ("Signatur", signature_state), ("Tid", signed_at)]]
    )
    return story


def _addendum_story(addendum: Addendum) -> list[Flowable]:
    title = "Tillägg – akut fynd" if addendum.is_urgent else "Tillägg"
    return text_section(f"{title} {addendum.written_at} – {addendum.author}", addendum.text)


def addenda_story(addenda: tuple[Addendum, ...]) -> list[Flowable]:
    """Each addendum under its time and author, after the signed report."""
    return [flowable for addendum in addenda for flowable in _addendum_story(addendum)]


# Whom was called the widest: a name with its title and ward at its 200 characters took ten
# lines in a third of the width, and a report at the limits onto a third page. The time's
# box is as narrow as keeps "2025-03-02 15:10" on one line (42 mm and the padding), the
# caller's a doctor's name: at 30 % of the width each, whom was called ("Dr Émile Ström,
# Akutmottagningen", 84 mm) took a second line in every call, and three calls a second page.
CALL_WEIGHTS = (46.0, 42.0, CONTENT_WIDTH_MM - 88.0)


def _call_story(call: UrgentCall) -> list[Flowable]:
    """One call's boxes: when, who called and whom; what was said under them."""
    st = styles()
    story: list[Flowable] = field_rows(
        [[("Ringt", call.called_at), ("Av", call.caller), ("Till", call.recipient)]],
        weights=CALL_WEIGHTS,
    )
    if call.note:
        # In the body's size as the addenda's text: a note of 2,000 characters in a box's bold
        # value would outweigh the finding it is about.
        # "Samtalet" begins the note's first line, in the label's size: a line of its own over
        # each note took a report with two calls and an addendum onto a second page.
        # A right-to-left note keeps the label on a line of its own: the label's Latin letters
        # first would turn the note's first paragraph left to right (its first letter decides).
        paragraphs = call.note.replace("\r\n", "\n").split("\n\n")
        label = f'<font name="{FONT}" size="{st.label.fontSize:g}">Samtalet:</font> '
        if base_direction(call.note) == "R":
            story.append(Paragraph("Samtalet", st.label))
            label = ""
        for index, paragraph in enumerate(paragraphs):
            text = markup(paragraph.strip("\n"))
            story.append(DirectedParagraph(label + text if index == 0 else text, st.body))
    return story


# Between two calls under one title: the next call's boxes stand apart from the note above.
CALL_GAP_MM = 1.5


def _calls_story(calls: list[UrgentCall]) -> list[Flowable]:
    """Calls made one after another, under a rule as an addendum stands and one title.

    A title and rule over each call took a report with two calls and an addendum onto a second
    page; the calls' boxes keep them apart as well, in the same sizes.
    """
    title = DirectedParagraph(markup("Akut fynd – telefonsamtal"), styles().small_heading)
    story: list[Flowable] = [Spacer(1, 2 * mm)]
    for index, call in enumerate(calls):
        boxes, *note = _call_story(call)
        if index == 0:
            # The title with the first call's boxes: a title alone at a page's foot says nothing.
            story.append(KeepTogether([Rule(), title, boxes]))
        else:
            story += [Spacer(1, CALL_GAP_MM * mm), boxes]
        story += note
    return story


def addenda_and_calls_story(
    addenda: tuple[Addendum, ...], calls: tuple[UrgentCall, ...]
) -> list[Flowable]:
    """The addenda with every call among them where it was made, in time order."""
    for call in calls:
        if not 0 <= call.after_addenda <= len(addenda):
            raise ValueError(
                f"A call placed after {call.after_addenda} addenda; the report has {len(addenda)}."
            )
    story: list[Flowable] = []
    for before in range(len(addenda) + 1):
        here = [call for call in calls if call.after_addenda == before]
        if here:
            story += _calls_story(here)
        if before < len(addenda):
            story += _addendum_story(addenda[before])
    return story


# Between the fax block and the patient's boxes, so the two read as two blocks.
PATIENT_GAP_MM = 2.5


def report_body(data: ReportData) -> list[Flowable]:
    """Patient, exam, the signed text, addenda and urgent calls: all but the fax block."""
    # No heading over the patient's boxes, as on the referral: their label says Patient. The
    # heading's lines took an urgent report's last call or addendum onto a second page.
    story: list[Flowable] = [Spacer(1, PATIENT_GAP_MM * mm)]
    story += patient_boxes(data.patient)
    story += field_rows([[("Undersökning", data.exam)]])
    if data.received_by_fax_from:
        story += field_rows([[("Mottaget per fax från", data.received_by_fax_from)]])
    if data.read_on_note:
        story += field_rows([[("Granskning", data.read_on_note)]])
    story += report_story(data.sections, data.radiologist, data.signature_state, data.signed_at)
    story += addenda_and_calls_story(data.addenda, data.urgent_calls)
    return story


def report_marks(data: ReportData) -> tuple[Mark, ...]:
    """The report's header marks, shared by every sheet that prints the report."""
    return sheet_marks(
        data.meta.is_drill,
        data.meta.reprint_at,
        data.is_preliminary,
        is_cancelled=data.meta.is_cancelled,
        changed_since=data.meta.changed_since,
        changed_parts=data.meta.changed_parts,
        is_urgent=data.is_urgent,
    )


def build_report_sheet(data: ReportData) -> Sheet:
    """The report as a sheet."""
    story: list[Flowable] = [heading("Fax"), *fax_block(data.fax), *report_body(data)]
    return Sheet(
        title="UTLÅTANDE",
        code=data.meta.case_code,
        qr_payload=data.meta.qr_payload,
        story=story,
        marks=report_marks(data),
        department=data.meta.department,
        pdf_title=f"Utlåtande {data.meta.case_code}",
        patient_line=running_patient(data.patient),
        later_pages_note=earlier_reserve_note(data.patient),
    )


def render_report(data: ReportData) -> bytes:
    """The report as PDF bytes."""
    return render_sheets([build_report_sheet(data)])
