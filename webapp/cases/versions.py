"""Optimistic locking: a form carries the version of the record it showed, checked on save.

Two tablets may have the same record open. Without the check, the later save from a screen
opened before the earlier save quietly puts the older text back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, Final

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

IDENTITY_CHANGED = (
    "Någon annan har ändrat patientens identitet sedan du öppnade sidan. Din ändring är inte "
    "sparad – kontrollera den nuvarande identiteten ovan och spara igen om den ska ändras."
)
IDENTITY_FIELDS = (
    "patient_name",
    "patient_id_kind",
    "patient_id",
    "patient_sex",
    "patient_birth_date",
    "patient_age_approx",
)


def identity_fingerprint(values: Mapping[str, Any]) -> str:
    """A short digest of a patient's identity as a screen showed it (checked on save).

    The identity rather than the case's version: a priority changed meanwhile does not make
    the correction stale, a patient named by someone else does.
    """
    text = "\x1f".join(str(values.get(name) or "") for name in IDENTITY_FIELDS)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def identity_fingerprint_of(case: Any) -> str:
    """The fingerprint of a case's current identity, for the form that shows it."""
    return identity_fingerprint({name: getattr(case, name) for name in IDENTITY_FIELDS})


def check_version(shown: ShownVersion, stored: int | None, message: str) -> None:
    """Refuse a save whose form showed another version than the stored one (or no record)."""
    if isinstance(shown, _AnyVersion) or stored is None:
        return
    if shown != stored:
        raise VersionConflict(message)
