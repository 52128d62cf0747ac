"""Which documents a case has, and their addresses."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Case, ExamRecord, Referral, Report

# Document kinds and the QR document code each carries.
CASE_DOCUMENTS = {
    "referral": "REM",
    "exam": "DOK",
    "report": "UTL",
    "cover": "BAK",
    "referral-anon": "ARE",
    "report-anon": "AUT",
    # Only while the case is cancelled, and never in the red tray's bundle: it goes by fax.
    "cancel-notice": "MAK",
}


def available_documents(case: Case) -> list[str]:
    """The printable documents of a case, in red-tray order."""
    return document_kinds(
        has_referral=case.referral is not None,
        has_exam=case.exam is not None,
        report_state=case.report.state if case.report is not None else None,
    )


def offers_cancel_notice(case: Case) -> bool:
    """Whether the notice to the referrer can be printed: cancelled, with a referral to answer."""
    return case.status == "cancelled" and case.referral is not None


def document_kinds(*, has_referral: bool, has_exam: bool, report_state: str | None) -> list[str]:
    """The printable documents of a case with these records, in red-tray order."""
    kinds = ["cover"]
    if has_referral:
        kinds += ["referral", "referral-anon"]
    if has_exam:
        kinds.append("exam")
    if report_state is not None and report_state != "draft":
        kinds += ["report", "report-anon"]
    return kinds


def document_urls(case_ids: list[int], base: str) -> dict[int, list[dict[str, str]]]:
    """Absolute URLs of every case's printable documents (for the JSON batch).

    Only whether each record exists matters here, so no Case objects are built: for a large
    batch this was the JSON export's biggest cost.
    """
    if not case_ids:
        return {}
    rows = db.session.execute(
        select(Case.id, Referral.id, ExamRecord.id, Report.state)
        .outerjoin(Referral, Referral.case_id == Case.id)
        .outerjoin(ExamRecord, ExamRecord.case_id == Case.id)
        .outerjoin(Report, Report.case_id == Case.id)
        .where(Case.id.in_(case_ids))
    )
    return {
        case_id: [
            {"kind": kind, "url": f"{base}/print/cases/{case_id}/{kind}.pdf"}
            for kind in document_kinds(
                has_referral=referral_id is not None,
                has_exam=exam_id is not None,
                report_state=report_state,
            )
        ]
        for case_id, referral_id, exam_id, report_state in rows
    }
