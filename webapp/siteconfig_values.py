"""Reading one value of the site TOML with its type checked, for a message that names the entry.

TOML already gives typed values, but Python's conversions accept the wrong types silently:
bool("nej") is True and tuple("DT 1") is four rooms. These helpers refuse them instead.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from .checklist_keys import text_key

# Digits grouped by spaces, dashes or parentheses, maybe with a country code (+46 ...); an
# internal extension such as "619 00" is a number too.
_NUMBER_RE = re.compile(r"^\+?[0-9() -]+$")


class ConfigValueError(ValueError):
    """A value in the site TOML has the wrong type; the message is Swedish and names the entry."""


def _present(table: dict[str, Any], key: str) -> bool:
    return table.get(key) not in ("", None)


def text(
    table: dict[str, Any],
    key: str,
    where: str,
    *,
    required: bool = False,
    max_length: int | None = None,
) -> str:
    """A text; a whole number is taken as its digits.

    max_length: the column the value is copied into (a case's priority, an incident's title);
    a longer value saved here made every such write fail on PostgreSQL.
    """
    if not _present(table, key):
        if required:
            raise ConfigValueError(f"{where}: '{key}' saknas.")
        return ""
    value = table[key]
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ConfigValueError(
            f'{where}: {key} ska vara en text inom citattecken, t.ex. {key} = "…".'
        )
    if required and not value.strip():
        # Only spaces: a blank code or name on every list, board and sheet.
        rule(f"{where}: '{key}' saknas (bara mellanslag).")
    if max_length is not None:
        longest(value, max_length, f"{where}: {key}")
    return value


def longest(value: str, max_length: int, what: str) -> None:
    """A value longer than the column it is stored in is a broken rule."""
    if len(value) > max_length:
        rule(
            f'{what} får vara högst {max_length} tecken; nu är det {len(value)} ("{value[:40]}…").'
        )


# Rules added after sites were set up (numbers, hours, fallbacks). An admin's save must pass
# them; a stored configuration that breaks one still loads, so the downtime laptop starts in the
# outage, and its broken rules are shown to the admin instead.
_relaxed: ContextVar[list[str] | None] = ContextVar("relaxed_rules", default=None)


def rule(message: str) -> None:
    """A broken rule: refused, or noted while the rules are relaxed."""
    broken = _relaxed.get()
    if broken is None:
        raise ConfigValueError(message)
    broken.append(message)


def ticked_once(items: tuple[str, ...], where: str) -> tuple[str, ...]:
    """A list whose items are ticked: each once, as a tick is of the item's text (its key)."""
    seen: set[str] = set()
    for item in items:
        key = text_key(item)
        if key in seen:
            rule(f"{where}: punkten ”{item[:80]}” står två gånger; en bock skulle gälla båda.")
        seen.add(key)
    return items


@contextmanager
def relaxed_rules() -> Iterator[list[str]]:
    """Parse with the rules relaxed; yields the list the broken ones are noted in."""
    broken: list[str] = []
    token = _relaxed.set(broken)
    try:
        yield broken
    finally:
        _relaxed.reset(token)


# The columns a number is copied into (a call, a fax sent) hold 40 characters.
NUMBER_LENGTH = 40


def number(table: dict[str, Any], key: str, where: str) -> str:
    """A phone or fax number: a letter O for a zero would be dialled by no one."""
    value = text(table, key, where, max_length=NUMBER_LENGTH)
    if value and (not _NUMBER_RE.match(value.strip()) or sum(ch.isdigit() for ch in value) < 3):
        rule(
            f"{where}: {key} ska vara ett nummer med siffror, mellanslag och bindestreck, t.ex. "
            f'{key} = "035-123 45 67"; nu står det "{value}".'
        )
    return value


def integer(table: dict[str, Any], key: str, where: str, default: int) -> int:
    """A whole number (not a text, a decimal number or inf)."""
    value = table.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ConfigValueError(f"{where}: {key} ska vara ett heltal, t.ex. {key} = {default}.")


def flag(table: dict[str, Any], key: str, where: str) -> bool:
    """true or false; "ja"/"nej" in quotes is text and refused, not read as true."""
    value = table.get(key, False)
    if isinstance(value, bool):
        return value
    raise ConfigValueError(f"{where}: {key} ska vara true eller false (utan citattecken).")


def texts(
    table: dict[str, Any], key: str, where: str, *, max_length: int | None = None
) -> tuple[str, ...]:
    """A list of texts; a single text is refused rather than split into its letters."""
    value = table.get(key, [])
    if isinstance(value, list) and all(
        isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) for v in value
    ):
        found = tuple(str(v) for v in value)
        if max_length is not None:
            for item in found:
                longest(item, max_length, f"{where}: {key}")
        return found
    raise ConfigValueError(f'{where}: {key} ska vara en lista av texter, t.ex. {key} = ["…", "…"].')


def tables(raw: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    """An array of tables ([[key]] blocks)."""
    value = raw.get(key, [])
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    raise ConfigValueError(f"{where} ska skrivas som block [[{key}]] med en tabell per post.")


def table(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    """A table ([key] block)."""
    value = raw.get(key, {})
    if isinstance(value, dict):
        return value
    raise ConfigValueError(f"{where} ska vara en tabell, [{key}].")


def known(table: dict[str, Any], names: tuple[str, ...], where: str) -> None:
    """A name the app does not read is a broken rule: a misspelt one (mr_saftey = true) would
    otherwise leave its setting silently off, and the safety questions unasked."""
    for name in table:
        if name not in names:
            rule(
                f"{where}: {name} är inget namn som används här; kontrollera stavningen"
                f"{did_you_mean(name, names)} (möjliga: {', '.join(names)})."
            )


def did_you_mean(name: str, names: Iterable[str], shown: str = "{}") -> str:
    """' – menade du X?' for the valid name closest to a misspelt one; '' when none is close.

    shown: how a name is written in the message, e.g. "[{}]" for a section.
    """
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return f" – menade du {shown.format(close[0])}?" if close else ""


def unique(codes: Iterable[str], what: str) -> None:
    """Refuse a code that occurs twice: lookups by code would silently take the first."""
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ConfigValueError(f"{what} {code} finns två gånger; koderna ska vara unika.")
        seen.add(code)
