"""The report for a new report recipient (svarsmottagare) when images leave the region."""

from __future__ import annotations

from reportlab.platypus import Flowable

from printforms.base import Sheet, render_sheets
from printforms.blocks import field_rows, heading
from printforms.data import ReleaseReportData
from printforms.referral import earlier_reserve_note, running_patient
from printforms.report import report_body, report_marks


def build_release_report_sheet(data: ReleaseReportData) -> Sheet:
    """The report as a sheet addressed to the release's recipient."""
    report = data.report
    story: list[Flowable] = [heading("Svarsmottagare")]
    story += field_rows(
        [
            [("Mottagare", data.recipient_name)],
            [("Adress", data.recipient_address or "–")],
            [("Skickas med", data.sent_with), ("Från", report.fax.from_department)],
        ]
    )
    story += report_body(report)
    return Sheet(
        title="UTLÅTANDE",
        code=report.meta.case_code,
        qr_payload=report.meta.qr_payload,
        story=story,
        marks=report_marks(report),
        department=report.meta.department,
        pdf_title=f"Utlåtande {report.meta.case_code} till {data.recipient_name}",
        patient_line=running_patient(report.patient),
        later_pages_note=earlier_reserve_note(report.patient),
    )


def render_release_report(data: ReleaseReportData) -> bytes:
    """The recipient's report as PDF bytes."""
    return render_sheets([build_release_report_sheet(data)])
