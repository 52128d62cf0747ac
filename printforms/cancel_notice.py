"""The cancellation notice (undersökningen utförs inte), faxed to the referrer.

During an outage the referrer cannot see in their record that the exam was cancelled, and the
report they wait for would never come: this sheet tells them, and whom to call.
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from printforms.base import CONTENT_WIDTH_MM, Sheet, render_sheets, sheet_marks, styles
from printforms.blocks import field_rows, heading, text_section
from printforms.data import CancelNoticeData
from printforms.referral import earlier_reserve_note, patient_boxes, running_patient
from printforms.report import PATIENT_GAP_MM, call_back, fax_block

TITLE = "UNDERSÖKNINGEN UTFÖRS INTE"
NOTICE = "Ärendet är makulerat hos röntgen. Inget utlåtande kommer på remissen."
# The arrival ("Telefon 2025-03-02 13:40", 61 mm and the padding) and the cancel's time each
# on one line, the rest to whoever cancelled: a name at its 120 characters took the line that
# put a notice at its limits on a third page.
WHEN_WEIGHTS_MM = (66.0, 46.0, CONTENT_WIDTH_MM - 112.0)


def build_cancel_notice_sheet(data: CancelNoticeData) -> Sheet:
    """The notice as a sheet: fax block, patient, the referral it answers, why, whom to call."""
    # The clinician beside the unit, as a report's fax names them: in a row of its own it took
    # the room the sender's numbers and hours need at their limits.
    fax = replace(data.fax, to_clinician=data.referrer_clinician or "–")
    story: list[Flowable] = [heading("Fax"), *fax_block(fax)]
    # No heading over the patient's boxes, as on the report: their label says Patient.
    story += [Spacer(1, PATIENT_GAP_MM * mm)]
    story += patient_boxes(data.patient)
    # The notice in bold under the patient, the referral it answers under it: a heading over
    # them and a box labelled "Undersökningen utförs inte" (the title says so already) took a
    # notice at its limits onto a third page.
    story += [Spacer(1, 2.5 * mm), Paragraph(NOTICE, styles().value), Spacer(1, 1.5 * mm)]
    story += field_rows([[("Önskad undersökning", data.requested_exam)]])
    story += field_rows(
        [
            [
                ("Remissen kom", data.referral_arrived),
                ("Makulerat", data.cancelled_at),
                ("Av", data.cancelled_by),
            ]
        ],
        weights=WHEN_WEIGHTS_MM,
    )
    story += text_section("Orsak", data.message)
    story += field_rows([[("Frågor eller ny remiss: ring", call_back(fax))]])
    return Sheet(
        title=TITLE,
        code=data.meta.case_code,
        qr_payload=data.meta.qr_payload,
        story=story,
        # Never MAKULERAD: on paper that says the sheet itself is void, and this one is not.
        marks=sheet_marks(
            data.meta.is_drill,
            data.meta.reprint_at,
            changed_since=data.meta.changed_since,
            changed_parts=data.meta.changed_parts,
        ),
        department=data.meta.department,
        pdf_title=f"Undersökningen utförs inte {data.meta.case_code}",
        patient_line=running_patient(data.patient),
        later_pages_note=earlier_reserve_note(data.patient),
    )


def render_cancel_notice(data: CancelNoticeData) -> bytes:
    """The notice as PDF bytes."""
    return render_sheets([build_cancel_notice_sheet(data)])
