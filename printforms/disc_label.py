"""The label of a CD/DVD or USB stick: the text to write on it, and a slip to cut out.

Drawn for a release of images and for a transfer's DVD that travels with the patient.

Not a round label for label stock: a department in an outage may have none, and a disc printed
on plain paper is no disc label. The routine asks for the disc to be stamped and the patient's
personnummer and name written on it, so the sheet gives those large enough to copy with a
marker, and a 120 mm slip (a CD case's insert, or into the envelope) that carries the rest.
"""

from __future__ import annotations

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from printforms.base import (
    CONTENT_WIDTH_MM,
    FONT,
    FONT_BOLD,
    Sheet,
    render_sheets,
    sheet_marks,
    styles,
)
from printforms.blocks import BOX_PADDING_PT, field_rows, heading, markup
from printforms.data import DiscLabelData, Patient
from printforms.referral import earlier_reserve_note, running_patient
from printforms.rtl import DirectedParagraph

# A CD case's insert and a disc are 120 mm across: the slip fits either, and a C6 envelope.
SLIP_MM = 120.0
SLIP_PAD_MM = 3.0
# Copied by hand onto a disc: capitals about 6 mm (number) and 4.5 mm (name) tall. A long
# name shrinks to keep within NAME_LINES lines (no disc holds more), never below NAME_MIN_PT.
NUMBER_PT = 24.0
NAME_PT = 18.0
NAME_MIN_PT = 11.0
NAME_LINES = 3
# The disc's box: a heavy frame, as the OBS box's, so it is seen first.
FRAME_PT = 2.0
# The cut line: dashed, so it is not taken for a box to write in.
CUT_DASH = (4, 3)
CONTAINS_PATIENT_DATA = "INNEHÅLLER PATIENTUPPGIFTER"
# A corrected patient's images keep the reserve number in their DICOM headers, as the modality
# and PACS stored them: said in the receiver's words, who may otherwise reject or misfile them.
IMAGES_MARKED = "Bilderna kan vara märkta med reservnummer"
# Beside the number, smaller than the number the disc is filed under: on a row of its own it
# pushed a transfer's last routine note onto a second page. Beside a number too long to leave
# EARLIER_MIN_MM, it goes under the number after all.
EARLIER_PT = 12.0
EARLIER_GAP_MM = 6.0
EARLIER_MIN_MM = 60.0


def images_marked(earlier_reserve: str) -> str:
    """The line written on a corrected patient's disc; "" for a patient never corrected."""
    return f"{IMAGES_MARKED} {earlier_reserve}" if earlier_reserve else ""


def _big(name: str, size: float) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT_BOLD, fontSize=size, leading=size * 1.2)


def _number_rows(patient: Patient, width: float) -> list[list[Flowable]]:
    """The number to copy, large, with a corrected patient's reserve number beside it."""
    number = DirectedParagraph(markup(patient.id_number), _big("disc_number", NUMBER_PT))
    marked = images_marked(patient.earlier_reserve)
    if not marked:
        return [[number]]
    beside = DirectedParagraph(markup(marked), _big("disc_earlier", EARLIER_PT))
    number_width = stringWidth(patient.id_number, FONT_BOLD, NUMBER_PT) + EARLIER_GAP_MM * mm
    if width - number_width < EARLIER_MIN_MM * mm:
        return [[number], [beside]]
    row = Table([[number, beside]], colWidths=[number_width, width - number_width])
    row.hAlign = "LEFT"
    row.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return [[row]]


def _name(name: str, width: float) -> Flowable:
    """The name to copy, as large as it fits in NAME_LINES lines of the width (points)."""
    size = NAME_PT
    while True:
        style = _big(f"disc_name_{size}", size)
        paragraph = DirectedParagraph(markup(name), style)
        if size <= NAME_MIN_PT or paragraph.wrap(width, 1e9)[1] <= NAME_LINES * style.leading:
            return paragraph
        size -= 1.0


def _write_on(data: DiscLabelData) -> list[Flowable]:
    """What is written on the disc (or the stick's envelope), large, in a heavy box."""
    st = styles()
    what = "kuvertet" if data.is_usb else "skivan"
    patient = data.patient
    # The number in the box below, by its kind: a reserve-numbered patient has no personnummer
    # to look up before the disc can go.
    number = patient.id_label[:1].lower() + patient.id_label[1:]
    marked = images_marked(patient.earlier_reserve)
    # The words to write are in the box below: the how keeps to its two lines, as a third
    # pushed a transfer's last note onto a page of its own.
    earlier = "det tidigare reservnumret" if patient.id_label == "Reservnummer" else "reservnumret"
    what_to_write = f"{number}, namn och {earlier}" if marked else f"{number} och namn"
    if data.is_usb:
        how = (
            f"Skriv {what_to_write} på kuvertet som USB-minnet läggs i, och lägg lappen "
            "nedan i kuvertet."
        )
    else:
        how = (
            f"Stämpla skivan med röntgenstämpeln. Skriv {what_to_write} på skivans "
            "tryckta sida med spritpenna, och lägg lappen nedan i fodralet eller kuvertet."
        )
    inner = CONTENT_WIDTH_MM * mm - 2 * (BOX_PADDING_PT + 2)
    rows = [
        [DirectedParagraph(markup(patient.id_label), st.label)],
        *_number_rows(patient, inner),
        [DirectedParagraph("Namn", st.label)],
        [_name(patient.name or "Namn okänt", inner)],
    ]
    box = Table(rows, colWidths=[CONTENT_WIDTH_MM * mm])
    box.hAlign = "LEFT"
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), FRAME_PT, black),
                ("LEFTPADDING", (0, 0), (-1, -1), BOX_PADDING_PT + 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), BOX_PADDING_PT + 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [
        heading(f"1. Skriv på {what}"),
        DirectedParagraph(markup(how), st.body),
        Spacer(1, 1 * mm),
        box,
    ]


def _slip(data: DiscLabelData) -> list[Flowable]:
    """The slip cut out along its dashed line: everything the recipient needs to know."""
    inner = SLIP_MM - 2 * SLIP_PAD_MM
    patient = data.patient
    sender = data.sender
    if data.sender_phone:
        sender += f", tel {data.sender_phone}"
    elif data.sender_fax:
        sender += f", fax {data.sender_fax}"
    contents = f"{data.medium}: {data.contents}"
    if patient.earlier_reserve:
        # With what is on the disc: a row of its own pushed the slip off a long label's page.
        contents += f". {images_marked(patient.earlier_reserve)}"
    cells: list[Flowable] = [
        DirectedParagraph(CONTAINS_PATIENT_DATA, styles().small_heading),
        *field_rows(
            [
                [("Namn", patient.name or "Namn okänt")],
                [(patient.id_label, patient.id_number), (data.code_label, data.meta.case_code)],
                [("Undersökning", "\n".join(data.exams) or "–")],
                [("Innehåll", contents)],
                [("Från", sender)],
                [("Till", data.recipient)],
                [(data.date_label, data.released_on), ("Leverans", data.delivery or "–")],
            ],
            width_mm=inner,
        ),
    ]
    slip = Table([[cells]], colWidths=[SLIP_MM * mm])
    slip.hAlign = "LEFT"
    slip.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.75, black, None, CUT_DASH),
                ("LEFTPADDING", (0, 0), (-1, -1), SLIP_PAD_MM * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), SLIP_PAD_MM * mm),
                ("TOPPADDING", (0, 0), (-1, -1), SLIP_PAD_MM * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), SLIP_PAD_MM * mm),
            ]
        )
    )
    where = "kuvertet" if data.is_usb else "fodralet eller kuvertet"
    # The slip is cut out whole: never split between two pages.
    return [KeepTogether([heading(f"2. Klipp ut och lägg i {where}"), slip])]


def _notes(data: DiscLabelData) -> list[Flowable]:
    if not data.routine_notes:
        return []
    body = ParagraphStyle("disc_note", parent=styles().body, fontName=FONT)
    return [
        heading("3. Enligt rutinen"),
        *(DirectedParagraph(markup(f"– {note}"), body) for note in data.routine_notes),
    ]


def build_disc_label_sheet(data: DiscLabelData) -> Sheet:
    """The disc's label sheet, with the case's QR and code as every sheet."""
    meta = data.meta
    story = [*_write_on(data), Spacer(1, 2 * mm), *_slip(data), *_notes(data)]
    return Sheet(
        title="ETIKETT USB-MINNE" if data.is_usb else "SKIVETIKETT",
        code=f"{meta.case_code} {data.label_reference}".strip(),
        code_label=data.code_label,
        qr_payload=meta.qr_payload,
        story=story,
        marks=sheet_marks(
            meta.is_drill,
            meta.reprint_at,
            is_cancelled=meta.is_cancelled,
            changed_since=meta.changed_since,
            changed_parts=meta.changed_parts,
        ),
        department=meta.department,
        pdf_title=f"Skivetikett {meta.case_code}",
        patient_line=running_patient(data.patient),
        later_pages_note=earlier_reserve_note(data.patient),
    )


def render_disc_label(data: DiscLabelData) -> bytes:
    """The disc's label sheet as PDF bytes."""
    return render_sheets([build_disc_label_sheet(data)])
