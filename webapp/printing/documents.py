"""Which documents a case has, and their addresses."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Case

# Document kinds and the QR document code each carries.
CASE_DOCUMENTS = {
    "referral": "REM",
    "exam": "DOK",
    "report": "UTL",
    "cover": "BAK",
    "referral-anon": "ARE",
    "report-anon": "AUT",
}


def available_documents(case: Case) -> list[str]:
    """The printable documents of a case, in red-tray order."""
    kinds = ["cover"]
    if case.referral is not None:
        kinds += ["referral", "referral-anon"]
    if case.exam is not None:
        kinds.append("exam")
    if case.report is not None and case.report.state != "draft":
        kinds += ["report", "report-anon"]
    return kinds


def document_urls(case_ids: list[int], base: str) -> dict[int, list[dict[str, str]]]:
    """Absolute URLs of every case's printable documents (for the JSON batch)."""
    if not case_ids:
        return {}
    cases = db.session.scalars(
        select(Case)
        .where(Case.id.in_(case_ids))
        .options(
            selectinload(Case.referral),  # type: ignore[attr-defined]
            selectinload(Case.exam),  # type: ignore[attr-defined]
            selectinload(Case.report),  # type: ignore[attr-defined]
        )
    )
    return {
        case.id: [
            {"kind": kind, "url": f"{base}/print/cases/{case.id}/{kind}.pdf"}
            for kind in available_documents(case)
        ]
        for case in cases
    }
