"""A refused save: why, where an earlier submit of the form led, and what is stored now.

The user's input stays in the form; beside it they see the stored values that differ from
what they typed, so they can merge and save again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..formutil import new_form_key
from ..i18n import gettext as _
from ..numbers import decimal_text
from ..web import local_time
from .errors import CaseError, SubmissionConflict

# The same form key comes back after Back in the browser, or from a second tablet that went on
# in the same draft (a swapped tablet, a colleague who opened it from the list): say both.
NEW_REFERRAL_SAVED_BEFORE = (
    "Det här formuläret är redan sparat som ett ärende – efter Tillbaka i webbläsaren, eller "
    "från en annan platta där samma formulär var öppet. Remissen nedan är inte sparad. "
    "Kontrollera i det sparade ärendet att det inte är samma patient, och tryck sedan Spara "
    "remissen för att spara den som ett nytt ärende."
)
SAVED_BEFORE = (
    "Det här formuläret är redan sparat – efter Tillbaka i webbläsaren, eller från en annan "
    "platta där samma formulär var öppet. Dina ändringar är inte sparade – jämför med det som "
    "är sparat nedan och spara igen."
)


@dataclass(frozen=True)
class Conflict:
    """What the form shows at its top after a refused save (message in Swedish)."""

    message: str
    saved_url: str = ""
    # (label, stored value) where the stored record differs from what the user typed.
    stored: tuple[tuple[str, str], ...] = ()


def conflict_of(exc: CaseError, stored: Iterable[tuple[str, str]] = ()) -> Conflict:
    """The conflict of a refused edit: a stale version, or a form already submitted."""
    message = SAVED_BEFORE if isinstance(exc, SubmissionConflict) else str(exc)
    return Conflict(message, stored=tuple(stored))


def reopen(form: Any, exc: CaseError, *, version: int | None) -> None:
    """Let the user save again: the form now stands on the stored version it shows.

    A form key already used gets a fresh one, or every later submit would be refused too.
    """
    form.version.data = version
    if isinstance(exc, SubmissionConflict):
        form.form_key.data = new_form_key()


def field_differences(form: Any, record: Any, names: Sequence[str]) -> list[tuple[str, str]]:
    """The fields whose stored value differs from what was typed: label and stored value."""
    if record is None:
        return []
    found = []
    for name in names:
        field = form[name]
        if field.type == "HiddenField":
            # Not on the screen (the exam's catalogue code): the field shown beside it differs
            # too, and the list would name it by its code, in English.
            continue
        stored = _shown(field, getattr(record, name))
        if stored != _shown(field, field.data):
            found.append((_(field.label.text), stored))
    return found


def section_differences(
    typed: Iterable[Mapping[str, Any]], stored: Iterable[Mapping[str, Any]]
) -> list[tuple[str, str]]:
    """The report sections whose stored text differs from what was typed: heading and text."""
    mine = {s["heading"]: _normal(s.get("text")) for s in typed}
    return [
        (s["heading"], s.get("text") or "–")
        for s in stored
        if _normal(s.get("text")) != mine.get(s["heading"], "")
    ]


def _normal(text: Any) -> str:
    return str(text or "").replace("\r\n", "\n").strip()


def _shown(field: Any, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        # As the form and the sheets write it: keyed into RIS from the screen, never rounded.
        return decimal_text(float(value))
    for option in getattr(field, "choices", None) or ():
        code, label = (option.value, option.label) if hasattr(option, "value") else option[:2]
        if code == value:
            return _(label)
    return str(value)
