"""Every identity a case has named its patient by, read from its version history.

Text typed before an identity correction still names the patient as they were then: a reserve
number they arrived with, a misspelt name, a personnummer given by mistake. What leaves the
department anonymised must lose those as well as the current ones.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session

from ..anonymise import PatientIdentity
from ..models import Case, RecordVersion

# The fields of an identity that free text can repeat (sex and age say too little to remove).
_NAMING_FIELDS = ("patient_name", "patient_id_kind", "patient_id")


def identities_had(
    session: Session | scoped_session[Any], case: Case
) -> tuple[PatientIdentity, ...]:
    """The patient as the case names them now, then as each earlier version did, each once."""
    found = [PatientIdentity(case.patient_name, case.patient_id_kind, case.patient_id)]
    # Every stored version moves the case's version on: a case at its first has no history.
    if case.version <= 1:
        return tuple(found)
    rows = session.execute(
        select(RecordVersion.data, RecordVersion.changes)
        .where(RecordVersion.entity == "case", RecordVersion.entity_id == case.id)
        .order_by(RecordVersion.id)
    )
    for data, changes in rows:
        # The case's other versions (priority, cancellation) keep the identity as it was.
        if not any(field in (changes or {}) for field in _NAMING_FIELDS):
            continue
        before = data or {}
        earlier = PatientIdentity(
            str(before.get("patient_name") or ""),
            str(before.get("patient_id_kind") or ""),
            str(before.get("patient_id") or ""),
        )
        if earlier not in found:
            found.append(earlier)
    return tuple(found)
