"""The identities a case had before it was corrected, read from its version history.

The exam may be booked in RIS and the images sent to PACS under a reserve number before the
patient is identified. Whoever keys the case afterwards needs that number as well as the
current one: it is how the booking and the images are found to be moved to the right patient.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session

from ..extensions import db
from ..models import Case, RecordVersion
from .batch import EarlierIdentity

# The fields an identity correction changes that name another patient record in RIS.
_ID_FIELDS = ("patient_id_kind", "patient_id")


def earlier_identities(
    session: Session | scoped_session[Any], case_ids: list[int]
) -> dict[int, list[EarlierIdentity]]:
    """Each case's earlier identities, oldest first (cases never corrected are left out).

    Each identity is given once, and never the one the case has now: a correction back to the
    reserve number (the wrong patient was named) must not list that number as an earlier one.
    """
    found: dict[int, list[EarlierIdentity]] = defaultdict(list)
    if not case_ids:
        return found
    rows = session.execute(
        select(
            RecordVersion.case_id,
            RecordVersion.data,
            RecordVersion.changes,
            RecordVersion.reason,
            RecordVersion.changed_at,
            Case.patient_id_kind,
            Case.patient_id,
        )
        .join(Case, Case.id == RecordVersion.case_id)
        .where(RecordVersion.entity == "case", RecordVersion.case_id.in_(case_ids))
        # In the order the corrections were made: the clock may have been set back between two.
        .order_by(RecordVersion.id)
    )
    seen: set[tuple[int, str, str]] = set()
    for row in rows:
        # The case's other versions (priority, cancellation) keep no identity.
        if not any(f in (row.changes or {}) for f in _ID_FIELDS):
            continue
        data = row.data or {}
        kind = str(data.get("patient_id_kind") or "")
        value = str(data.get("patient_id") or "")
        if (kind, value) == (row.patient_id_kind, row.patient_id):
            continue
        if (row.case_id, kind, value) in seen:
            continue
        seen.add((row.case_id, kind, value))
        found[row.case_id].append(
            EarlierIdentity(
                id_kind=kind,
                id_value=value,
                name=str(data.get("patient_name") or ""),
                changed_at=row.changed_at.isoformat(),
                reason=row.reason,
            )
        )
    return found


def earlier_identities_of(case: Case) -> list[EarlierIdentity]:
    """One case's earlier identities (for its page header and its sheets)."""
    # Every stored version of the case moves its version on: a case still at its first has
    # none, and its pages are spared the query.
    if case.version <= 1:
        return []
    return earlier_identities(db.session, [case.id]).get(case.id, [])


def earlier_identities_by_patient(
    session: Session | scoped_session[Any], case_ids: Sequence[int], chunk: int = 500
) -> dict[tuple[str, str], list[EarlierIdentity]]:
    """Every earlier identity of every case of a patient named now, by (id kind, number).

    The FHIR export writes one Patient per personnummer at its first case, when a later case's
    earlier reserve number is not yet read: RIS finds that case's images by it on the Patient.
    In the order of case_ids, then of the corrections; only corrected cases are read.
    """
    found: dict[tuple[str, str], list[EarlierIdentity]] = defaultdict(list)
    ids = list(case_ids)
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        # A case still at its first version was never corrected.
        rows = session.execute(
            select(Case.id, Case.patient_id_kind, Case.patient_id).where(
                Case.id.in_(part), Case.version > 1, Case.patient_id != ""
            )
        )
        current = {row.id: (row.patient_id_kind, row.patient_id) for row in rows}
        history = earlier_identities(session, list(current))
        for case_id in part:
            if case_id in history:
                found[current[case_id]].extend(history[case_id])
    return found
