"""Read helpers for reserved binder codes."""

from __future__ import annotations

from contextlib import suppress

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from ..cases.fields import site_today
from ..codes import CodeError, parse_case_code, parse_scan
from ..extensions import db
from ..identity import (
    IdentityError,
    normalize_reserve_number,
    parse_personal_number,
    reserve_number_key,
)
from ..list_pages import ListPage, bounded_page
from ..models import Case, Incident, ReservedCode, Site, User
from ..models.case import reserve_number_bare


def reserved_code(site_id: int, code: str) -> ReservedCode | None:
    """A reserved code of the site, by its display form."""
    return db.session.scalar(_by_code(site_id, code))


def reserved_code_to_change(session: Session, site_id: int, code: str) -> ReservedCode | None:
    """The same, locked for the caller's write (PostgreSQL): of a void and a use of the code at
    once, or two uses, the second reads what the first did. SQLite's write lock already orders
    them."""
    return session.scalar(_by_code(site_id, code).with_for_update())


def _by_code(site_id: int, code: str) -> Select[ReservedCode]:
    return select(ReservedCode).where(ReservedCode.site_id == site_id, ReservedCode.code == code)


def voided_by_name(reserved: ReservedCode) -> str:
    """The name of whoever voided the code ("" when it is not voided)."""
    if reserved.voided_by_id is None:
        return ""
    user = db.session.get(User, reserved.voided_by_id)
    return user.display_name if user is not None else ""


def case_of_blank(site_id: int, code: str) -> Case | None:
    """The case a documentation or report blank was joined to, so its sheet leads there."""
    return db.session.scalar(
        select(Case)
        .join(ReservedCode, ReservedCode.used_case_id == Case.id)
        .where(ReservedCode.site_id == site_id, ReservedCode.code == code)
    )


def unused_codes(site_id: int) -> list[ReservedCode]:
    """Binder codes not yet used for a case and not voided."""
    return list(
        db.session.scalars(
            select(ReservedCode)
            .where(
                ReservedCode.site_id == site_id,
                ReservedCode.used_case_id.is_(None),
                ReservedCode.voided_at.is_(None),
            )
            .order_by(ReservedCode.reserved_at, ReservedCode.code)
        )
    )


def batch_codes(site_id: int, code: str) -> list[ReservedCode] | None:
    """The codes reserved in one tap with this one, still unused, in the order reserved; None
    when the site has no such code."""
    first = reserved_code(site_id, code)
    if first is None:
        return None
    return list(
        db.session.scalars(
            select(ReservedCode)
            .where(
                ReservedCode.site_id == site_id,
                ReservedCode.reserved_by_id == first.reserved_by_id,
                ReservedCode.reserved_at == first.reserved_at,
                ReservedCode.doc_kind == first.doc_kind,
                ReservedCode.used_case_id.is_(None),
                ReservedCode.voided_at.is_(None),
            )
            .order_by(ReservedCode.id)
        )
    )


def referral_blank_not_typed_in(site_id: int, typed: str) -> str | None:
    """The code typed, if it is the site's referral blank not yet typed in as a case (nor voided).

    A documentation or report blank whose box holds it has no case to join yet: opened as a case
    of its own instead, the exam would become two cases once the referral blank is typed in.
    """
    code = typed_case_code(typed)
    if code is None:
        return None
    found = db.session.scalar(
        _by_code(site_id, code).where(
            ReservedCode.doc_kind == "BLR",
            ReservedCode.used_case_id.is_(None),
            ReservedCode.voided_at.is_(None),
        )
    )
    return found.code if found is not None else None


def typed_case_code(typed: str) -> str | None:
    """The case code in what was typed, or scanned: the join page is reached from the scan
    station, scanner in hand, and a sheet's QR code read into its field is that sheet's code."""
    with suppress(CodeError):
        return parse_case_code(typed)
    with suppress(CodeError):
        scanned = parse_scan(typed)
        if scanned.kind == "case":
            return scanned.case_code
    return None


def other_site_of_code(site_id: int, typed: str) -> str | None:
    """The name of the other site whose case or binder blank has the code typed (codes are
    unique across sites): its paper went to the wrong department."""
    code = typed_case_code(typed)
    if code is None:
        return None
    owner = db.session.scalar(select(Case.site_id).where(Case.code == code)) or db.session.scalar(
        select(ReservedCode.site_id).where(ReservedCode.code == code)
    )
    if owner is None or owner == site_id:
        return None
    return db.session.scalar(select(Site.name).where(Site.id == owner))


CODES_PAGE = 500


def all_codes(site_id: int, page: int = 1) -> ListPage[ReservedCode]:
    """A page of the site's reserved codes, newest first.

    Paged, never cut: a list that silently ends lets staff believe a code on a printed blank
    beyond it is not there.
    """
    total = db.session.scalar(
        select(func.count(ReservedCode.id)).where(ReservedCode.site_id == site_id)
    )
    page = bounded_page(page, total or 0, CODES_PAGE)
    query = (
        select(ReservedCode)
        .where(ReservedCode.site_id == site_id)
        .order_by(ReservedCode.reserved_at.desc(), ReservedCode.code)
        .limit(CODES_PAGE)
        .offset((page - 1) * CODES_PAGE)
    )
    return ListPage(list(db.session.scalars(query)), total or 0, page, CODES_PAGE)


def cases_for_blank(site_id: int, typed: str) -> list[Case]:
    """The site's live cases a blank may belong to: by the referral's code, else by patient.

    The code or ID number is written on the blank by hand, so it is read as typed: a code with
    or without its dash (the case's, or that of another blank joined to it), a personnummer in
    any of its forms, or a reserve number, also one a case had before its patient was
    identified (the blank was written before that).
    """
    live = (
        select(Case)
        .join(Incident, Incident.id == Case.incident_id)
        .where(Case.site_id == site_id, Case.status != "cancelled", Incident.ended_at.is_(None))
    )
    code = typed_case_code(typed)
    if code is not None:
        # Also the code of another blank joined to the case: with the laptop down, the sheet in
        # hand may be the documentation blank, not the referral (its code leads to the case at
        # the scan station too).
        joined = select(ReservedCode.used_case_id).where(
            ReservedCode.site_id == site_id, ReservedCode.code == code
        )
        return list(db.session.scalars(live.where((Case.code == code) | Case.id.in_(joined))))
    ids = set()
    with suppress(IdentityError):
        # The site's date, as the case stored the number: a laptop on UTC is still on yesterday
        # after midnight at the site, and would read a child born today as born 100 years ago.
        ids.add(parse_personal_number(typed, site_today()).normalized)
    reserve = ""
    with suppress(IdentityError):
        reserve = normalize_reserve_number(typed)
        ids.add(reserve)
    if not ids:
        return []
    match: ColumnElement[bool] = Case.patient_id.in_(ids)
    if reserve:
        # The wristband's number with or without its hyphens: RES-0007 is RES0007.
        key = reserve_number_key(reserve)
        match |= (Case.patient_id_kind == "reserve") & (reserve_number_bare(Case.patient_id) == key)
    found = list(
        db.session.scalars(live.where(match).order_by(Case.created_at.desc(), Case.id.desc()))
    )
    if reserve:
        found += _identified_since(live, reserve, [c.id for c in found])
    return found


def _identified_since(live: Select[tuple[Case]], number: str, known: list[int]) -> list[Case]:
    """The live cases whose identity was corrected away from this reserve number, newest first."""
    # Imported here: the catch-up package's scan station imports this package.
    from ..catchup.identities import earlier_identities

    # A case at its first version was never corrected: only the others are read.
    corrected = list(
        db.session.scalars(
            live.with_only_columns(Case.id).where(Case.version > 1, Case.id.not_in(known))
        )
    )
    had = [
        case_id
        for case_id, earlier in earlier_identities(db.session, corrected).items()
        if any(
            e.id_kind == "reserve" and reserve_number_key(e.id_value) == reserve_number_key(number)
            for e in earlier
        )
    ]
    if not had:
        return []
    return list(
        db.session.scalars(
            live.where(Case.id.in_(had)).order_by(Case.created_at.desc(), Case.id.desc())
        )
    )
