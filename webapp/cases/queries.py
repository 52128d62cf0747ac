"""Read helpers for cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, g
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..identity import reserve_number_key
from ..models import (
    Addendum,
    CancelNotice,
    Case,
    Referral,
    Report,
    ReportDispatch,
    ReportSignature,
    ReservedCode,
    Site,
)
from ..models.case import reserve_number_bare

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
    # Those of an undone cancellation too: the page asks for a call to the referrer then.
    joinedload(Case.cancel_notices).joinedload(CancelNotice.user),  # type: ignore[attr-defined]
    # The blanks joined to it: shown each with its detach form, and which of them wait.
    joinedload(Case.blanks),  # type: ignore[attr-defined]
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
    # The reserve number the two cases share, now or before a correction ("" when the same
    # personnummer ties them): the same patient, or two patients given one number.
    reserve_number: str = ""


def same_patient_cases(case: Case) -> list[SamePatientCase]:
    """The incident's other live cases of this patient, oldest first.

    Either the same faxed referral registered twice (the patient would be examined twice) or a
    second exam that is right: the case page names them so whoever opens either one can tell.
    A reserve number ties cases too, the one a case has now or had before its correction: an
    unidentified patient's second exam, which stays on the reserve number (and is booked under
    it in RIS) when the patient is identified in the other case only; or two patients given
    the same number, whose images would meet under it in PACS.
    """
    found: dict[int, SamePatientCase] = {}
    if case.patient_id_kind != "reserve" and case.patient_id:
        rows = db.session.execute(
            _live_others(case).where(
                Case.patient_id_kind == case.patient_id_kind, Case.patient_id == case.patient_id
            )
        )
        found.update({r.id: SamePatientCase(r.id, r.code, r.exam_text, r.status) for r in rows})
    numbers = {i: n for i, n in _same_reserve_number(case).items() if i not in found}
    if numbers:
        rows = db.session.execute(_live_others(case).where(Case.id.in_(numbers)))
        for r in rows:
            found[r.id] = SamePatientCase(r.id, r.code, r.exam_text, r.status, numbers[r.id])
    # Oldest first: a case's id grows with the time it was opened.
    return [found[i] for i in sorted(found)]


def _live_others(case: Case) -> Any:
    return (
        select(Case.id, Case.code, Case.status, Referral.exam_text)
        .join(Referral, Referral.case_id == Case.id)
        .where(
            Case.incident_id == case.incident_id,
            Case.id != case.id,
            Case.status != "cancelled",
        )
    )


def _same_reserve_number(case: Case) -> dict[int, str]:
    """The incident's other live cases with a reserve number this case has or had, by id."""
    # Imported here: the catch-up package's views import this module.
    from ..catchup.identities import earlier_identities, earlier_identities_of

    # Compared by reserve_number_key: "RES-0007" and "RES0007" are one wristband.
    earlier = earlier_identities_of(case)
    mine = {reserve_number_key(e.id_value) for e in earlier if e.id_kind == "reserve"}
    if case.patient_id_kind == "reserve" and case.patient_id:
        mine.add(reserve_number_key(case.patient_id))
    if not mine:
        return {}
    # Only the cases holding one of the numbers now, or ever corrected: not the whole incident
    # on every page of an unidentified patient.
    others = db.session.execute(
        select(Case.id, Case.patient_id_kind, Case.patient_id, Case.version).where(
            Case.incident_id == case.incident_id,
            Case.id != case.id,
            Case.status != "cancelled",
            (Case.patient_id_kind == "reserve")
            & reserve_number_bare(Case.patient_id).in_(sorted(mine))
            | (Case.version > 1),
        )
    ).all()
    found = {
        o.id: o.patient_id
        for o in others
        if o.patient_id_kind == "reserve" and reserve_number_key(o.patient_id) in mine
    }
    # A case at its first version was never corrected: it had no other number.
    corrected = [o.id for o in others if o.version > 1 and o.id not in found]
    for other_id, earlier in earlier_identities(db.session, corrected).items():
        shared = [
            e.id_value
            for e in earlier
            if e.id_kind == "reserve" and reserve_number_key(e.id_value) in mine
        ]
        if shared:
            found[other_id] = shared[0]
    return found


def case_by_code(site_id: int, code: str) -> Case | None:
    """A case by its display code within a site."""
    return db.session.scalar(select(Case).where(Case.site_id == site_id, Case.code == code))


def site_name_of_code(code: str) -> str | None:
    """The name of the site whose case or binder blank has this code (codes are unique)."""
    site_id = db.session.scalar(select(Case.site_id).where(Case.code == code)) or db.session.scalar(
        select(ReservedCode.site_id).where(ReservedCode.code == code)
    )
    return db.session.scalar(select(Site.name).where(Site.id == site_id)) if site_id else None
