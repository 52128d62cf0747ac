"""Referral sheet (remiss)."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from printforms.base import CONTENT_WIDTH_MM, Sheet, render_sheets, sheet_marks, styles
from printforms.blocks import (
    BOX_PADDING_PT,
    NOT_GIVEN,
    clipped,
    field_rows,
    heading,
    markup,
    pairs,
    text_section,
    warning_box,
)
from printforms.data import Patient, ReferralData

# A patient box is a few lines; one taller than a page (a name of hundreds of emoji) could
# neither move to the next page whole nor be split, and none of the case's paper printed.
PATIENT_VALUE_MAX_LINES = 6
# The name is whole on the first page (each page's header cuts it): a name as long as the
# form takes, 200 characters, is 8 lines in words and 13 in capitals of the widest letter.
PATIENT_NAME_MAX_LINES = 13
_HEADING_SPACE_PT = 3.0
EARLIER_RESERVE_LABEL = (
    "Tidigare reservnummer (bokning i RIS och bilder i PACS kan finnas under det)"
)
_TEXT_SPACE_MM = 0.5


# The name, the identity number (whole on one line, as "Samordningsnummer" over it), sex and
# age in one row: sex and age in a row of their own took the line an urgent report's second
# call or addendum needed to stay on its page.
PATIENT_ROW_MM = (82.0, 44.0, 25.0, 25.0)


def patient_boxes(patient: Patient) -> list[Flowable]:
    """Patient identity boxes shared by the identified case sheets."""

    def cut(text: str, width_mm: float, max_lines: int = PATIENT_VALUE_MAX_LINES) -> str:
        return clipped(text, width_mm, max_lines)

    name_mm, _, sex_mm, age_mm = PATIENT_ROW_MM
    # The identity number is never cut: a part of it could be another patient's.
    row = [
        ("Patient", cut(patient.name, name_mm, PATIENT_NAME_MAX_LINES)),
        (patient.id_label, patient.id_number),
        ("Kön", cut(patient.sex, sex_mm)),
        ("Ålder", cut(patient.age, age_mm)),
    ]
    boxes = field_rows([row], weights=PATIENT_ROW_MM)
    if patient.earlier_reserve:
        # Where the exam was booked and imaged before the patient was identified. The note is
        # in the 10 pt label, so the row is one line of each: as two bold lines it pushed the
        # last box of a reprinted cover or referral onto a page of its own.
        boxes += field_rows(
            [[(EARLIER_RESERVE_LABEL, cut(patient.earlier_reserve, CONTENT_WIDTH_MM))]]
        )
    return boxes


def _safety_per_row(items: list[tuple[str, str]]) -> int:
    """Four answers to a row when each label and answer keeps to one line there, else three.

    Three to a row left no room for them on a reprint after an identity correction (ÄNDRAD,
    KOPIA and the earlier reserve number); two to a row took the page's last row even before.
    An answer such as "eGFR 72 (2026-01-14)" is not broken over two lines to make room.
    """
    st = styles()
    inner = CONTENT_WIDTH_MM / 4 * mm - 2 * BOX_PADDING_PT

    def one_line(text: str, style: ParagraphStyle) -> bool:
        return Paragraph(markup(text), style).wrap(inner, 1e9)[1] <= style.leading

    fits = all(one_line(label, st.label) and one_line(value, st.value) for label, value in items)
    return 4 if fits else 3


def running_patient(patient: Patient) -> tuple[str, str]:
    """Name and identity number for the header of every page of an identified sheet."""
    return patient.name or "Namn okänt", f"{patient.id_label} {patient.id_number}"


def earlier_reserve_note(patient: Patient) -> str:
    """The earlier reserve number for the pages after the first, which lack the patient box."""
    if not patient.earlier_reserve:
        return ""
    return f"{EARLIER_RESERVE_LABEL}: {patient.earlier_reserve}"


def build_referral_sheet(data: ReferralData) -> Sheet:
    ref = data.referrer
    # First, as the paper's ticked box is seen first: before the patient is taken in. The
    # patient's boxes need no heading over them (their label says Patient), and the headings
    # and text sections keep less space above them than on other sheets: with a corrected
    # identity and the ÄNDRAD and KOPIA marks, that was the room the safety boxes lacked.
    story: list[Flowable] = [*warning_box(data.warnings)]
    story += patient_boxes(data.patient)
    story += [heading("Remittent", _HEADING_SPACE_PT)]
    story += field_rows(
        [
            [("Remitterande enhet", ref.unit), ("Remittent", ref.clinician or NOT_GIVEN)],
            [("Telefon", ref.phone or NOT_GIVEN), ("Svarsfax", ref.reply_fax)],
        ]
    )
    story += [heading("Beställning", _HEADING_SPACE_PT)]
    # How and when it came in, with the order: under a heading of its own at the foot of the
    # sheet, it was the line that went alone onto a second page.
    story += field_rows(
        [
            [("Prioritet", data.priority), ("Modalitet", data.modality)],
            [("Önskad undersökning", data.requested_exam)],
            [("Inkom", data.arrival), ("Mottagen av", data.received_by)],
        ]
    )
    story += text_section("Frågeställning", data.clinical_question, _TEXT_SPACE_MM)
    story += text_section("Anamnes", data.history or NOT_GIVEN, _TEXT_SPACE_MM)
    if data.protocol:
        story += text_section("Radiologens instruktion", data.protocol, _TEXT_SPACE_MM)
        story += field_rows([[("Skriven av", data.protocol_written)]])
    if data.safety:
        items = [(item.label, item.value) for item in data.safety]
        rows = field_rows(pairs(items, _safety_per_row(items)))
        # One block: what does not fit goes on whole with its heading, never a last row alone
        # on a page that comes apart from the rest in the red tray.
        story += [KeepTogether([heading("Säkerhet", _HEADING_SPACE_PT), *rows])]
    return Sheet(
        title="REMISS",
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
        pdf_title=f"Remiss {data.meta.case_code}",
        patient_line=running_patient(data.patient),
        later_pages_note=earlier_reserve_note(data.patient),
    )


def render_referral(data: ReferralData) -> bytes:
    """The referral as PDF bytes."""
    return render_sheets([build_referral_sheet(data)])
