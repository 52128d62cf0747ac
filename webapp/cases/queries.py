"""Read helpers for cases."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, g
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Addendum,
    Case,
    Referral,
    Report,
    ReportDispatch,
    ReportSignature,
    ReservedCode,
    Site,
)

# A case page shows the case with its referral, exam, report and catch-up record; one joined
# query instead of five lazy loads. Built once, since building it costs more than running it.
_CASE_WITH_RECORDS = (
    select(Case)
    .where(Case.id == bindparam("case_id"))
    .options(
        joinedload(Case.incident),
        joinedload(Case.referral),  # type: ignore[attr-defined]
        joinedload(Case.exam),  # type: ignore[attr-defined]
        joinedload(Case.report),  # type: ignore[attr-defined]
        joinedload(Case.catchup),  # type: ignore[attr-defined]
    )
)


# The case page also names who received the referral, who signed, entered and added to the
# report, and who faxed it; loaded with the case rather than one lazy query per name.
_CASE_FOR_PAGE = _CASE_WITH_RECORDS.options(
    joinedload(Case.referral).joinedload(Referral.received_by),  # type: ignore[attr-defined]
    joinedload(Case.report).joinedload(Report.entered_by),  # type: ignore[attr-defined]
    joinedload(Case.report)  # type: ignore[attr-defined]
    .joinedload(Report.signatures)
    .joinedload(ReportSignature.entered_by),
    joinedload(Case.report)  # type: ignore[attr-defined]
    .joinedload(Report.addenda)
    .joinedload(Addendum.author),
    joinedload(Case.dispatches).joinedload(ReportDispatch.user),  # type: ignore[attr-defined]
)


def get_case_or_404(case_id: int, for_page: bool = False) -> Case:
    """A case of the user's own site, with its records loaded, else 404.

    `for_page` also loads the people and signatures the case page names.
    """
    statement = _CASE_FOR_PAGE if for_page else _CASE_WITH_RECORDS
    # unique(): the page's statement joins the report's signatures and addenda (a few rows).
    case = db.session.execute(statement, {"case_id": case_id}).unique().scalar_one_or_none()
    if case is None or case.site_id != g.user.site_id:
        abort(404)
    return case


@dataclass(frozen=True)
class SamePatientCase:
    """Another live case of the same patient in the incident."""

    case_id: int
    code: str
    exam: str
    status: str


def same_patient_cases(case: Case) -> list[SamePatientCase]:
    """The incident's other live cases of this identified patient, oldest first.

    Either the same faxed referral registered twice (the patient would be examined twice) or a
    second exam that is right: the case page names them so whoever opens either one can tell.
    A reserve number names no one yet, so it is not matched.
    """
    if case.patient_id_kind == "reserve" or not case.patient_id:
        return []
    rows = db.session.execute(
        select(Case.id, Case.code, Case.status, Referral.exam_text)
        .join(Referral, Referral.case_id == Case.id)
        .where(
            Case.incident_id == case.incident_id,
            Case.id != case.id,
            Case.patient_id_kind == case.patient_id_kind,
            Case.patient_id == case.patient_id,
            Case.status != "cancelled",
        )
        .order_by(Case.created_at, Case.id)
    )
    return [SamePatientCase(r.id, r.code, r.exam_text, r.status) for r in rows]


def case_by_code(site_id: int, code: str) -> Case | None:
    """A case by its display code within a site."""
    return db.session.scalar(select(Case).where(Case.site_id == site_id, Case.code == code))


def site_name_of_code(code: str) -> str | None:
    """The name of the site whose case or binder blank has this code (codes are unique)."""
    site_id = db.session.scalar(select(Case.site_id).where(Case.code == code)) or db.session.scalar(
        select(ReservedCode.site_id).where(ReservedCode.code == code)
    )
    return db.session.scalar(select(Site.name).where(Site.id == site_id)) if site_id else None
