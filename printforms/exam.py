"""Exam documentation sheet (dokumentationsblankett)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from printforms.base import Sheet, render_sheets, sheet_marks
from printforms.blocks import field_rows, heading, text_section, warning_box
from printforms.data import ExamData
from printforms.referral import patient_rows, running_patient


def build_exam_sheet(data: ExamData) -> Sheet:
    """The documentation form as a sheet."""
    story: list[Flowable] = [*warning_box(data.warnings), heading("Patient")]
    story += field_rows(patient_rows(data.patient))
    story += field_rows(
        [[("Smitta/isolering", data.infection or "–"), ("Förflyttning", data.mobility or "–")]]
    )
    story += [heading("Undersökning")]
    story += field_rows(
        [
            [("Modalitet / rum", data.modality_room), ("Utförd undersökning", data.exam_performed)],
            [("Start", data.started_at), ("Slut", data.ended_at)],
            [
                ("Röntgensjuksköterska", data.radiographers),
                ("Tillfälligt ID på modaliteten", data.modality_temp_id),
            ],
        ]
    )
    story += [heading("Kontrast")]
    story += field_rows(
        [
            [
                ("Kontrastmedel", data.contrast_agent or "–"),
                ("Mängd", data.contrast_volume or "–"),
                ("Administrationsväg", data.contrast_route or "–"),
            ],
            [
                ("Batchnummer", data.contrast_batch or "–"),
                ("Patientens vikt", data.patient_weight or "–"),
            ],
        ]
    )
    story += [heading("Stråldos och bilder")]
    story += field_rows(
        [
            [("DLP", data.dose_dlp or "–"), ("CTDIvol", data.dose_ctdivol or "–")],
            [("DAP", data.dose_dap or "–"), ("Genomlysningstid", data.fluoroscopy_time or "–")],
            [
                ("Serier / bilder", data.series_images or "–"),
                ("Bilder till PACS", f"{data.pacs_status} {data.pacs_sent_at}".strip() or "–"),
            ],
        ]
    )
    if data.complications:
        story += text_section("Komplikationer", data.complications)
    if data.notes:
        story += text_section("Anteckningar", data.notes)
    return Sheet(
        title="DOKUMENTATION",
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
        pdf_title=f"Dokumentation {data.meta.case_code}",
        patient_line=running_patient(data.patient),
    )


def render_exam(data: ExamData) -> bytes:
    """The documentation form as PDF bytes."""
    return render_sheets([build_exam_sheet(data)])
