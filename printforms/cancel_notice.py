"""The cancellation notice (undersökningen utförs inte), faxed to the referrer.

During an outage the referrer cannot see in their record that the exam was cancelled, and the
report they wait for would never come: this sheet tells them, and whom to call.
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.platypus import Flowable

from printforms.base import CONTENT_WIDTH_MM, Sheet, render_sheets, sheet_marks
from printforms.blocks import field_rows, heading, text_section
from printforms.data import CancelNoticeData
from printforms.referral import patient_boxes, running_patient
from printforms.report import call_back, fax_block

TITLE = "UNDERSÖKNINGEN UTFÖRS INTE"
# The arrival ("Telefon 2025-03-02 13:40") and the cancel's time each on one line, the rest
# to whoever cancelled.
WHEN_WEIGHTS_MM = (70.0, 46.0, CONTENT_WIDTH_MM - 116.0)


def build_cancel_notice_sheet(data: CancelNoticeData) -> Sheet:
    """The notice as a sheet: fax block, patient, the referral it answers, why, whom to call."""
    # The clinician beside the unit, as a report's fax names them: in a row of its own it took
    # the room the sender's numbers and hours need at their limits.
    fax = replace(data.fax, to_clinician=data.referrer_clinician or "–")
    story: list[Flowable] = [heading("Fax"), *fax_block(fax)]
    story += [heading("Patient")]
    story += patient_boxes(data.patient)
    # The referral it answers under the notice itself, not a heading of its own: with the
    # sender's numbers and hours at their limits, that heading's lines took the notice onto a
    # second page.
    story += [heading("Besked")]
    story += field_rows(
        [
            [
                (
                    "Undersökningen utförs inte",
                    "Ärendet är makulerat hos röntgen. Inget utlåtande kommer på remissen.",
                )
            ],
            [("Önskad undersökning", data.requested_exam)],
        ]
    )
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
    )


def render_cancel_notice(data: CancelNoticeData) -> bytes:
    """The notice as PDF bytes."""
    return render_sheets([build_cancel_notice_sheet(data)])
