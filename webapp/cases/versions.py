"""Optimistic locking: a form carries the version of the record it showed, checked on save.

Two tablets may have the same record open. Without the check, the later save from a screen
opened before the earlier save quietly puts the older text back.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import RecordVersion
from .errors import VersionConflict


class _AnyVersion:
    """For writers without a screen (demo, seeding): they never show a record first."""

    def __repr__(self) -> str:
        return "ANY_VERSION"


ANY_VERSION: Final = _AnyVersion()
# The version a form showed; None when it showed no record yet (a first-time create).
ShownVersion = int | None | _AnyVersion

REPORT_CHANGED = (
    "Någon annan har ändrat utlåtandet sedan du öppnade sidan. Dina ändringar är inte sparade "
    "– jämför med den nya versionen nedan och spara igen."
)
EXAM_CHANGED = (
    "Någon annan har sparat dokumentationen sedan du öppnade sidan. Dina ändringar är inte "
    "sparade – jämför med de sparade uppgifterna nedan och spara igen."
)
REFERRAL_CHANGED = (
    "Någon annan har ändrat remissen sedan du öppnade sidan. Dina ändringar är inte sparade "
    "– jämför med de sparade uppgifterna nedan och spara igen."
)
IDENTITY_CORRECTED_UNDER_EDIT = (
    "Patientens identitet har rättats sedan du öppnade sidan – se patienten överst. Dina "
    "ändringar är inte sparade: kontrollera att de gäller den patienten och spara igen."
)
IDENTITY_CHANGED = (
    "Någon annan har ändrat ärendet sedan du öppnade sidan. Identiteten är inte ändrad – "
    "kontrollera den sparade identiteten överst och spara igen om din rättelse behövs."
)


def check_version(shown: ShownVersion, stored: int | None, message: str) -> None:
    """Refuse a save whose form showed another version than the stored one (or no record)."""
    if isinstance(shown, _AnyVersion) or stored is None:
        return
    if shown != stored:
        raise VersionConflict(message)


# The case's columns an identity correction changes.
_IDENTITY_COLUMNS = frozenset(
    ("patient_name", "patient_id_kind", "patient_id", "patient_sex", "patient_birth_date")
)


def identity_changed_since(session: Session, case_id: int, shown: ShownVersion) -> bool:
    """Whether the case's patient was corrected after the version a form showed.

    A form of the case's own records (the referral) is refused then as any stale form is, but
    its user is told that the patient changed, not that someone changed what they typed.
    """
    if not isinstance(shown, int):
        return False
    changes = session.scalars(
        select(RecordVersion.changes).where(
            RecordVersion.entity == "case",
            RecordVersion.entity_id == case_id,
            RecordVersion.version >= shown,
        )
    )
    return any(_IDENTITY_COLUMNS & set(c or {}) for c in changes)
