"""The cancellation notice (undersökningen utförs inte), faxed to the referrer.

During an outage the referrer cannot see in their record that the exam was cancelled, and the
report they wait for would never come: this sheet tells them, and whom to call.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from printforms.base import Sheet, render_sheets, sheet_marks
from printforms.blocks import field_rows, heading, text_section
from printforms.data import CancelNoticeData
from printforms.referral import patient_rows, running_patient
from printforms.report import call_back, fax_block

TITLE = "UNDERSÖKNINGEN UTFÖRS INTE"


def build_cancel_notice_sheet(data: CancelNoticeData) -> Sheet:
    """The notice as a sheet: fax block, patient, the referral it answers, why, whom to call."""
    fax = data.fax
    story: list[Flowable] = [heading("Fax"), *fax_block(fax)]
    story += field_rows([[("Remittent", data.referrer_clinician or "–")]])
    story += [heading("Patient")]
    story += field_rows(patient_rows(data.patient))
    story += [heading("Remissen")]
    story += field_rows(
        [
            [("Önskad undersökning", data.requested_exam)],
            [("Remissen kom", data.referral_arrived)],
        ]
    )
    story += [heading("Besked")]
    story += field_rows(
        [
            [
                (
                    "Undersökningen utförs inte",
                    "Ärendet är makulerat hos röntgen. Inget utlåtande kommer på remissen.",
                )
            ],
            [("Makulerat", data.cancelled_at), ("Av", data.cancelled_by)],
        ]
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
            data.meta.is_drill, data.meta.reprint_at, changed_since=data.meta.changed_since
        ),
        department=data.meta.department,
        pdf_title=f"Undersökningen utförs inte {data.meta.case_code}",
        patient_line=running_patient(data.patient),
    )


def render_cancel_notice(data: CancelNoticeData) -> bytes:
    """The notice as PDF bytes."""
    return render_sheets([build_cancel_notice_sheet(data)])
