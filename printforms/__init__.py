"""Fax-proof A4 PDFs drawn from plain data; never imports Flask or the web app."""

from __future__ import annotations

from collections.abc import Sequence

from printforms.anonymised import (
    build_anonymised_referral_sheet,
    build_anonymised_report_sheet,
    render_anonymised_referral,
    render_anonymised_report,
)
from printforms.base import Sheet, render_sheets
from printforms.blank import build_blank_sheet, render_blank_stack
from printforms.cancel_notice import build_cancel_notice_sheet, render_cancel_notice
from printforms.cover import build_cover_sheet, render_cover
from printforms.data import (
    AnonymisedReferralData,
    AnonymisedReportData,
    CancelNoticeData,
    CaseDocument,
    ExamData,
    RedTrayData,
    ReferralData,
    ReleaseReportData,
    ReportData,
)
from printforms.disc_label import build_disc_label_sheet, render_disc_label
from printforms.exam import build_exam_sheet, render_exam
from printforms.followup import build_followup_sheet, render_followup
from printforms.incident_list import build_incident_list_sheet, render_incident_list
from printforms.pin_slips import render_pin_slips
from printforms.referral import build_referral_sheet, render_referral
from printforms.release_report import build_release_report_sheet, render_release_report
from printforms.report import build_report_sheet, render_report
from printforms.routine import build_routine_sheets, render_routines, routines_over_one_page
from printforms.ward_referral import build_ward_referral_sheet, render_ward_referral


def build_sheet(document: CaseDocument) -> Sheet:
    """The sheet for any case document."""
    if isinstance(document, ReferralData):
        return build_referral_sheet(document)
    if isinstance(document, ExamData):
        return build_exam_sheet(document)
    if isinstance(document, ReportData):
        return build_report_sheet(document)
    if isinstance(document, ReleaseReportData):
        return build_release_report_sheet(document)
    if isinstance(document, RedTrayData):
        return build_cover_sheet(document)
    if isinstance(document, AnonymisedReferralData):
        return build_anonymised_referral_sheet(document)
    if isinstance(document, AnonymisedReportData):
        return build_anonymised_report_sheet(document)
    if isinstance(document, CancelNoticeData):
        return build_cancel_notice_sheet(document)
    raise TypeError(f"not a case document: {type(document).__name__}")


def render_bundle(documents: Sequence[CaseDocument]) -> bytes:
    """All documents of a case in one PDF (one tap to print); each keeps its own page count."""
    return render_sheets([build_sheet(d) for d in documents])


__all__ = [
    "build_blank_sheet",
    "build_disc_label_sheet",
    "build_followup_sheet",
    "build_incident_list_sheet",
    "build_routine_sheets",
    "build_sheet",
    "build_ward_referral_sheet",
    "render_anonymised_referral",
    "render_anonymised_report",
    "render_blank_stack",
    "render_bundle",
    "render_cancel_notice",
    "render_cover",
    "render_disc_label",
    "render_exam",
    "render_followup",
    "render_incident_list",
    "render_pin_slips",
    "render_referral",
    "render_release_report",
    "render_report",
    "render_routines",
    "render_ward_referral",
    "routines_over_one_page",
]
