"""Other patients of the incident easy to take for this one: the same number under another
name, or the same name under another number."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select, union
from sqlalchemy.orm import Session

from ..extensions import db
from ..identity import format_patient_id, reserve_number_key
from ..models import Case, Submission
from ..models.case import patient_name_key, reserve_number_bare
from .errors import NamesakeFound

SAME_NUMBER_OTHER_NAME = (
    "Numret finns redan i driftstoppet under ett annat namn (se nedan). Kontrollera namn och "
    "nummer mot remissen och patientens id-band, och kryssa i rutan om det är rätt."
)
SAME_NAME_OTHER_NUMBER = (
    "Namnet finns redan i driftstoppet med ett annat nummer (se nedan): en annan patient med "
    "samma namn, eller ett felskrivet nummer. Kontrollera numret och kryssa i rutan om det är rätt."
)
# The audit note of a namesake confirmed as another patient.
NAMESAKE_CONFIRMED = "samma nummer eller namn som ett annat ärende, bekräftat som rätt patient"
# The first key of the two-key advisory locks that stand for an incident's patients (storage's
# form-key locks have a space of their own).
_PATIENT_LOCKS = 0x4E53
_LOCK_PATIENTS = select(
    func.pg_advisory_xact_lock(bindparam("space", type_=Integer), bindparam("key", type_=Integer))
)


@dataclass(frozen=True)
class Namesake:
    """A live case of the incident that shares the number or the name, not both."""

    code: str
    name: str
    number: str
    # "number": the same identity number under another name; "name": the same name under
    # another number.
    shares: str


def name_key(name: str) -> tuple[str, ...]:
    """A name as compared (patient_name_key), word by word.

    "Andersson, Anna" and "ANNA ANDERSSON" are one name; "Anna Andersson" and "Axel Andersson"
    (twins, born the same day) are two.
    """
    return tuple(patient_name_key(name).split())


# Built once: building the statement and its cache key costs about what running it does.
@cache
def _sharing(by_name: bool, reserve: bool) -> Select[Any]:
    """The incident's live cases with the number, or (by_name) with the name's key, by age.

    One SELECT per thing shared, each on its index with the incident: with an OR in one SELECT,
    SQLite walks every case of the incident instead. An empty name shares nothing, so its key
    is not looked for. A reserve number is compared without its hyphens (reserve_number_key),
    which reads the incident's cases rather than the number's index entry.
    """
    columns = (
        Case.id,
        Case.code,
        Case.patient_name,
        Case.patient_name_key,
        Case.patient_id_kind,
        Case.patient_id,
    )
    live = (Case.incident_id == bindparam("incident_id"), Case.status != "cancelled")
    shared = [
        select(*columns).where(
            *live,
            reserve_number_bare(Case.patient_id) == bindparam("patient_id")
            if reserve
            else Case.patient_id == bindparam("patient_id"),
            Case.patient_id_kind == bindparam("id_kind"),
        )
    ]
    if by_name:
        shared.append(select(*columns).where(*live, Case.patient_name_key == bindparam("key")))
    either = union(*shared).subquery()
    return select(either).order_by(either.c.id)


def namesakes(
    incident_id: int,
    *,
    id_kind: str,
    patient_id: str,
    name: str,
    exclude_case_id: int | None = None,
) -> list[Namesake]:
    """The incident's live cases with this number and another name, or this name and another
    number, oldest first."""
    mine = patient_name_key(name)
    reserve = id_kind == "reserve"
    number = reserve_number_key(patient_id) if reserve else patient_id
    rows = db.session.execute(
        _sharing(bool(mine), reserve),
        {"incident_id": incident_id, "patient_id": number, "id_kind": id_kind, "key": mine},
    )
    found = []
    for r in rows:
        if r.id == exclude_case_id:
            continue
        theirs = r.patient_name_key
        theirs_number = reserve_number_key(r.patient_id) if reserve else r.patient_id
        same_number = (r.patient_id_kind, theirs_number) == (id_kind, number)
        # An unnamed patient (reserve number) has no name to differ from or to share.
        if same_number and mine and theirs and theirs != mine:
            shares = "number"
        elif not same_number and mine and theirs == mine:
            shares = "name"
        else:
            continue
        shown = format_patient_id(r.patient_id_kind, r.patient_id)
        found.append(Namesake(r.code, r.patient_name, shown, shares))
    return found


def question_for(found: list[Namesake]) -> str:
    """The question asked of these namesakes: one number under two names is asked first."""
    same_number = any(n.shares == "number" for n in found)
    return SAME_NUMBER_OTHER_NAME if same_number else SAME_NAME_OTHER_NUMBER


def lock_patients(session: Session, incident_id: int) -> None:
    """Hold the incident's patients (PostgreSQL) until the transaction ends: of two writes that
    name a patient in it (a referral, an identity correction), one checks for namesakes after
    the other has committed.

    No row stands for a number or a name, and a case inserted by the other write is no row to
    wait for; the incident's row is locked FOR SHARE by every referral, which two referrals
    hold together. So an advisory lock, taken as a write's last lock before its check (nothing
    is waited for while holding it). SQLite runs the write transactions one at a time.
    """
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        conn.execute(_LOCK_PATIENTS, {"space": _PATIENT_LOCKS, "key": incident_id})


def check_in_write(
    session: Session,
    incident_id: int,
    identity: Mapping[str, object],
    *,
    ticked: bool,
    exclude_case_id: int | None = None,
) -> bool:
    """The namesake check again, inside the write that stores `identity`: whether a namesake
    was found (and `ticked`, the box confirmed this identity).

    The form asks before the write; two tablets saving at the same moment would both pass
    that. Raises NamesakeFound, nothing stored, when one is found now and the box was not
    ticked for this identity.
    """
    lock_patients(session, incident_id)
    found = namesakes(
        incident_id,
        id_kind=str(identity["patient_id_kind"]),
        patient_id=str(identity["patient_id"]),
        name=str(identity["patient_name"] or ""),
        exclude_case_id=exclude_case_id,
    )
    if found and not ticked:
        raise NamesakeFound(found, question_for(found))
    return bool(found)


def case_saved_by(form_key: str) -> int | None:
    """The case a form opened when it was first submitted, if it was."""
    if not form_key:
        return None
    return db.session.scalar(select(Submission.case_id).where(Submission.key == form_key))
