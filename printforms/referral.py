"""Referral sheet (remiss)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from printforms.base import CONTENT_WIDTH_MM, Sheet, render_sheets, sheet_marks
from printforms.blocks import clipped, field_rows, heading, pairs, text_section, warning_box
from printforms.data import Patient, ReferralData

# A patient box is a few lines; one taller than a page (a name of hundreds of emoji) could
# neither move to the next page whole nor be split, and none of the case's paper printed.
PATIENT_VALUE_MAX_LINES = 6


def patient_rows(patient: Patient) -> list[list[tuple[str, str]]]:
    """Patient identity boxes shared by the identified case sheets."""
    half = CONTENT_WIDTH_MM / 2

    def cut(text: str, width_mm: float = half) -> str:
        return clipped(text, width_mm, PATIENT_VALUE_MAX_LINES)

    # The identity number is never cut: a part of it could be another patient's.
    rows = [
        [("Patient", cut(patient.name)), (patient.id_label, patient.id_number)],
        [("Kön", cut(patient.sex)), ("Ålder", cut(patient.age))],
    ]
    if patient.earlier_reserve:
        # Where the exam was booked and imaged before the patient was identified.
        note = f"{patient.earlier_reserve} (bokning i RIS och bilder i PACS kan finnas under det)"
        rows.append([("Tidigare reservnummer", cut(note, CONTENT_WIDTH_MM))])
    return rows


def running_patient(patient: Patient) -> tuple[str, str]:
    """Name and identity number for the header of every page of an identified sheet."""
    return patient.name or "Namn okänt", f"{patient.id_label} {patient.id_number}"


def build_referral_sheet(data: ReferralData) -> Sheet:
    ref = data.referrer
    # First, as the paper's ticked box is seen first: before the patient is taken in.
    story: list[Flowable] = [*warning_box(data.warnings), heading("Patient")]
    story += field_rows(patient_rows(data.patient))
    story += [heading("Remittent")]
    story += field_rows(
        [
            [("Remitterande enhet", ref.unit), ("Remittent", ref.clinician)],
            [("Telefon", ref.phone), ("Svarsfax", ref.reply_fax)],
        ]
    )
    story += [heading("Beställning")]
    story += field_rows(
        [
            [("Prioritet", data.priority), ("Modalitet", data.modality)],
            [("Önskad undersökning", data.requested_exam)],
        ]
    )
    story += text_section("Frågeställning", data.clinical_question)
    story += text_section("Anamnes", data.history)
    if data.protocol:
        story += text_section("Radiologens instruktion", data.protocol)
        story += field_rows([[("Skriven av", data.protocol_written)]])
    if data.safety:
        story += [heading("Säkerhet")]
        # Three to a row: with infection and mobility, two to a row took the page's last row.
        story += field_rows(pairs([(item.label, item.value) for item in data.safety], 3))
    story += [Spacer(1, 3 * mm), heading("Mottagning")]
    story += field_rows([[("Inkom", data.arrival), ("Mottagen av", data.received_by)]])
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
        ),
        department=data.meta.department,
        pdf_title=f"Remiss {data.meta.case_code}",
        patient_line=running_patient(data.patient),
    )


def render_referral(data: ReferralData) -> bytes:
    """The referral as PDF bytes."""
    return render_sheets([build_referral_sheet(data)])
