"""Exam documentation sheet (dokumentationsblankett)."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from printforms.base import CONTENT_WIDTH_MM, Sheet, render_sheets, sheet_marks
from printforms.blocks import field_rows, heading, text_section, warning_box
from printforms.data import ExamData
from printforms.referral import earlier_reserve_note, patient_boxes, running_patient

# Less space above headings and text sections than on other sheets: with a corrected identity
# and the ÄNDRAD and KOPIA marks, it was the room the closing sections lacked.
_HEADING_SPACE_PT = 3.0
_TEXT_SPACE_MM = 0.5
# A title and the first line of its text; 25 mm moved the notes of a sheet that fitted.
_TEXT_KEEP_MM = 15.0
# Start and end each whole on its line ("2025-03-02 14:31" is 42 mm), the room beside the
# exam's modality; the exam performed and who performed it get the widths their 300
# characters need. Each in half the width, the exam and the radiographers at their limits
# took 12 and 14 lines, and a sheet at its limits a third page.
WHEN_MM = (CONTENT_WIDTH_MM - 92.0, 46.0, 46.0)


def _closing(data: ExamData) -> list[Flowable]:
    """Dose and images, complications and notes: the sheet's last block."""
    block: list[Flowable] = [heading("Stråldos och bilder", _HEADING_SPACE_PT)]
    block += field_rows(
        [
            # Four to a row: the form's numbers with their units keep to one line there.
            [
                ("DLP", data.dose_dlp or "–"),
                ("CTDIvol", data.dose_ctdivol or "–"),
                ("DAP", data.dose_dap or "–"),
                ("Genomlysningstid", data.fluoroscopy_time or "–"),
            ],
            [
                ("Serier / bilder", data.series_images or "–"),
                ("Bilder till PACS", f"{data.pacs_status} {data.pacs_sent_at}".strip() or "–"),
            ],
        ]
    )
    if data.complications:
        block += text_section("Komplikationer", data.complications, _TEXT_SPACE_MM, _TEXT_KEEP_MM)
    if data.notes:
        block += text_section("Anteckningar", data.notes, _TEXT_SPACE_MM, _TEXT_KEEP_MM)
    # One block: what does not fit goes on whole, never complications and notes alone on a
    # near-empty page that comes apart from the rest in the red tray. A block taller than a
    # page flows on as it is, its texts paragraph by paragraph.
    return [KeepTogether(block)]


def build_exam_sheet(data: ExamData) -> Sheet:
    """The documentation form as a sheet."""
    # The patient's boxes need no heading over them: their label says Patient.
    story: list[Flowable] = [*warning_box(data.warnings)]
    story += patient_boxes(data.patient)
    story += field_rows(
        [[("Smitta/isolering", data.infection or "–"), ("Förflyttning", data.mobility or "–")]]
    )
    story += [heading("Undersökning", _HEADING_SPACE_PT)]
    story += field_rows(
        [
            [
                ("Modalitet / rum", data.modality_room),
                ("Start", data.started_at),
                ("Slut", data.ended_at),
            ]
        ],
        weights=WHEN_MM,
    )
    story += field_rows([[("Utförd undersökning", data.exam_performed)]])
    story += field_rows(
        [
            [
                ("Röntgensjuksköterska", data.radiographers),
                ("Tillfälligt ID på modaliteten", data.modality_temp_id),
            ]
        ],
        weights=(2, 1),
    )
    story += [heading("Kontrast", _HEADING_SPACE_PT)]
    story += field_rows(
        [
            [
                ("Kontrastmedel", data.contrast_agent or "–"),
                ("Mängd", data.contrast_volume or "–"),
                ("Administrationsväg", data.contrast_route or "–"),
            ]
        ],
        weights=(2, 1, 1),
    )
    story += field_rows(
        [
            [
                ("Batchnummer", data.contrast_batch or "–"),
                ("Patientens vikt", data.patient_weight or "–"),
            ],
        ]
    )
    story += _closing(data)
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
            changed_parts=data.meta.changed_parts,
        ),
        department=data.meta.department,
        pdf_title=f"Dokumentation {data.meta.case_code}",
        patient_line=running_patient(data.patient),
        later_pages_note=earlier_reserve_note(data.patient),
    )


def render_exam(data: ExamData) -> bytes:
    """The documentation form as PDF bytes."""
    return render_sheets([build_exam_sheet(data)])
