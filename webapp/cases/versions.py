"""Optimistic locking: a form carries the version of the record it showed, checked on save.

Two tablets may have the same record open. Without the check, the later save from a screen
opened before the earlier save quietly puts the older text back.
"""

from __future__ import annotations

from typing import Final

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
    "Någon annan har ändrat ärendet sedan du öppnade sidan. Identiteten är inte ändrad – "
    "kontrollera den sparade identiteten överst och spara igen om din rättelse behövs."
)


def check_version(shown: ShownVersion, stored: int | None, message: str) -> None:
    """Refuse a save whose form showed another version than the stored one (or no record)."""
    if isinstance(shown, _AnyVersion) or stored is None:
        return
    if shown != stored:
        raise VersionConflict(message)
