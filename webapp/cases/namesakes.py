"""Other patients of the incident easy to take for this one: the same number under another
name, or the same name under another number."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..identity import format_patient_id
from ..models import Case, Submission


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
    """A name as compared: case, accents' composition, commas and word order carry no meaning.

    "Andersson, Anna" and "ANNA ANDERSSON" are one name; "Anna Andersson" and "Axel Andersson"
    (twins, born the same day) are two.
    """
    text = unicodedata.normalize("NFC", name).replace(",", " ").casefold()
    return tuple(sorted(text.split()))


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
    mine = name_key(name)
    rows = db.session.execute(
        select(Case.id, Case.code, Case.patient_name, Case.patient_id_kind, Case.patient_id)
        .where(Case.incident_id == incident_id, Case.status != "cancelled")
        .order_by(Case.id)
    )
    found = []
    for r in rows:
        if r.id == exclude_case_id:
            continue
        theirs = name_key(r.patient_name or "")
        same_number = (r.patient_id_kind, r.patient_id) == (id_kind, patient_id)
        # An unnamed patient (reserve number) has no name to differ from or to share.
        if same_number and mine and theirs and theirs != mine:
            shares = "number"
        elif not same_number and mine and theirs == mine:
            shares = "name"
        else:
            continue
        number = format_patient_id(r.patient_id_kind, r.patient_id)
        found.append(Namesake(r.code, r.patient_name, number, shares))
    return found


def case_saved_by(form_key: str) -> int | None:
    """The case a form opened when it was first submitted, if it was."""
    if not form_key:
        return None
    return db.session.scalar(select(Submission.case_id).where(Submission.key == form_key))
