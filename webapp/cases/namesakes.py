"""Other patients of the incident easy to take for this one: the same number under another
name, or the same name under another number."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select, union

from ..extensions import db
from ..identity import format_patient_id, reserve_number_key
from ..models import Case, Submission
from ..models.case import patient_name_key, reserve_number_bare


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


def case_saved_by(form_key: str) -> int | None:
    """The case a form opened when it was first submitted, if it was."""
    if not form_key:
        return None
    return db.session.scalar(select(Submission.case_id).where(Submission.key == form_key))
