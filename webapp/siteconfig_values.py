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
from .refusal import Message, Refused

# Where in the file a value is: a TOML name as it is ("[site]"), or words that are translated
# with the message ("prioritet 2").
Where = str | Message

# Digits grouped by spaces, dashes or parentheses, maybe with a country code (+46 ...); an
# internal extension such as "619 00" is a number too.
_NUMBER_RE = re.compile(r"^\+?[0-9() -]+$")


class ConfigValueError(Refused):
    """A value in the site TOML has the wrong type; the message names the entry.

    A Swedish template and its values, so the editor shows it in the admin's language.
    """


def _present(table: dict[str, Any], key: str) -> bool:
    return table.get(key) not in ("", None)


def text(
    table: dict[str, Any],
    key: str,
    where: Where,
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
            raise ConfigValueError("%(where)s: '%(key)s' saknas.", where=where, key=key)
        return ""
    value = table[key]
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ConfigValueError(
            '%(where)s: %(key)s ska vara en text inom citattecken, t.ex. %(key)s = "…".',
            where=where,
            key=key,
        )
    if required and not value.strip():
        # Only spaces: a blank code or name on every list, board and sheet.
        rule("%(where)s: '%(key)s' saknas (bara mellanslag).", where=where, key=key)
    if max_length is not None:
        longest(value, max_length, Message("%(where)s: %(key)s", {"where": where, "key": key}))
    return value


def longest(value: str, max_length: int, what: Where) -> None:
    """A value longer than the column it is stored in is a broken rule."""
    if len(value) > max_length:
        rule(
            '%(what)s får vara högst %(max)s tecken; nu är det %(n)s ("%(start)s…").',
            what=what,
            max=max_length,
            n=len(value),
            start=value[:40],
        )


# Rules added after sites were set up (numbers, hours, fallbacks). An admin's save must pass
# them; a stored configuration that breaks one still loads, so the downtime laptop starts in the
# outage, and its broken rules are shown to the admin instead.
_relaxed: ContextVar[list[Message] | None] = ContextVar("relaxed_rules", default=None)


def rule(template: str, **values: object) -> None:
    """A broken rule (a Swedish template and its values): refused, or noted while the rules
    are relaxed."""
    broken = _relaxed.get()
    if broken is None:
        raise ConfigValueError(template, **values)
    broken.append(Message(template, values))


def ticked_once(items: tuple[str, ...], where: Where) -> tuple[str, ...]:
    """A list whose items are ticked: each once, as a tick is of the item's text (its key)."""
    seen: set[str] = set()
    for item in items:
        key = text_key(item)
        if key in seen:
            rule(
                "%(where)s: punkten ”%(item)s” står två gånger; en bock skulle gälla båda.",
                where=where,
                item=item[:80],
            )
        seen.add(key)
    return items


@contextmanager
def relaxed_rules() -> Iterator[list[Message]]:
    """Parse with the rules relaxed; yields the list the broken ones are noted in."""
    broken: list[Message] = []
    token = _relaxed.set(broken)
    try:
        yield broken
    finally:
        _relaxed.reset(token)


# The columns a number is copied into (a call, a fax sent) hold 40 characters.
NUMBER_LENGTH = 40


def number(table: dict[str, Any], key: str, where: Where) -> str:
    """A phone or fax number: a letter O for a zero would be dialled by no one."""
    value = text(table, key, where, max_length=NUMBER_LENGTH)
    if value and not _is_number(value):
        rule(
            "%(where)s: %(key)s ska vara ett nummer med siffror, mellanslag och bindestreck, t.ex. "
            '%(key)s = "035-123 45 67"; nu står det "%(value)s".',
            where=where,
            key=key,
            value=value,
        )
    return value


# One address: no spaces, one "@" with text on both sides. Not the full RFC: a department's
# address is plain, and a typo (a dot for the "@", a number in the wrong field) is what to catch.
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+")


def email(table: dict[str, Any], key: str, where: Where) -> str:
    """An e-mail address: a typo would open a message no one receives, found only at night."""
    value = text(table, key, where)
    if value and not _EMAIL_RE.fullmatch(value.strip()):
        rule(
            '%(where)s: %(key)s ska vara en e-postadress, t.ex. %(key)s = "rontgen@region.se"; '
            'nu står det "%(value)s".',
            where=where,
            key=key,
            value=value,
        )
    return value


def _is_number(value: str) -> bool:
    return bool(_NUMBER_RE.match(value.strip())) and sum(ch.isdigit() for ch in value) >= 3


def numbers(table: dict[str, Any], key: str, where: Where) -> tuple[str, ...]:
    """One number, or a list of them as a routine gives "033-616 12 10 eller 033-616 45 78";
    each checked as number() checks one, a bad one named by its place in the list."""
    value = table.get(key)
    if value is None or (isinstance(value, str | int) and not isinstance(value, bool)):
        one = number(table, key, where)
        return (one,) if one else ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigValueError(
            "%(where)s: %(key)s ska vara ett nummer eller en lista av nummer inom citattecken, "
            't.ex. %(key)s = "035-123 45 67" eller %(key)s = ["035-123 45 67", "035-123 45 68"].',
            where=where,
            key=key,
        )
    for i, item in enumerate(value, start=1):
        place = Message("%(where)s: %(key)s, nummer %(i)s,", {"where": where, "key": key, "i": i})
        longest(item, NUMBER_LENGTH, place)
        if not _is_number(item):
            rule(
                "%(place)s ska vara ett nummer med siffror, mellanslag och bindestreck, t.ex. "
                '%(key)s = ["035-123 45 67", "035-123 45 68"]; nu står det "%(value)s".',
                place=place,
                key=key,
                value=item,
            )
    return tuple(item for item in value if item.strip())


def integer(table: dict[str, Any], key: str, where: Where, default: int) -> int:
    """A whole number (not a text, a decimal number or inf)."""
    value = table.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ConfigValueError(
        "%(where)s: %(key)s ska vara ett heltal, t.ex. %(key)s = %(default)s.",
        where=where,
        key=key,
        default=default,
    )


def flag(table: dict[str, Any], key: str, where: Where) -> bool:
    """true or false; "ja"/"nej" in quotes is text and refused, not read as true."""
    value = table.get(key, False)
    if isinstance(value, bool):
        return value
    raise ConfigValueError(
        "%(where)s: %(key)s ska vara true eller false (utan citattecken).", where=where, key=key
    )


def texts(
    table: dict[str, Any], key: str, where: Where, *, max_length: int | None = None
) -> tuple[str, ...]:
    """A list of texts; a single text is refused rather than split into its letters."""
    value = table.get(key, [])
    if isinstance(value, list) and all(
        isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) for v in value
    ):
        found = tuple(str(v) for v in value)
        if max_length is not None:
            for item in found:
                longest(
                    item, max_length, Message("%(where)s: %(key)s", {"where": where, "key": key})
                )
        return found
    raise ConfigValueError(
        '%(where)s: %(key)s ska vara en lista av texter, t.ex. %(key)s = ["…", "…"].',
        where=where,
        key=key,
    )


def tables(raw: dict[str, Any], key: str, where: Where) -> list[dict[str, Any]]:
    """An array of tables ([[key]] blocks)."""
    value = raw.get(key, [])
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    raise ConfigValueError(
        "%(where)s ska skrivas som block [[%(key)s]] med en tabell per post.", where=where, key=key
    )


def table(raw: dict[str, Any], key: str, where: Where) -> dict[str, Any]:
    """A table ([key] block)."""
    value = raw.get(key, {})
    if isinstance(value, dict):
        return value
    raise ConfigValueError("%(where)s ska vara en tabell, [%(key)s].", where=where, key=key)


def known(table: dict[str, Any], names: tuple[str, ...], where: Where) -> None:
    """A name the app does not read is a broken rule: a misspelt one (mr_saftey = true) would
    otherwise leave its setting silently off, and the safety questions unasked."""
    for name in table:
        if name not in names:
            rule(
                "%(where)s: %(name)s är inget namn som används här; kontrollera stavningen"
                "%(close)s (möjliga: %(names)s).",
                where=where,
                name=name,
                close=did_you_mean(name, names),
                names=", ".join(names),
            )


def did_you_mean(name: str, names: Iterable[str], shown: str = "{}") -> Message | str:
    """' – menade du X?' for the valid name closest to a misspelt one; '' when none is close.

    shown: how a name is written in the message, e.g. "[{}]" for a section.
    """
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return Message(" – menade du %(name)s?", {"name": shown.format(close[0])}) if close else ""


# A key shown in a message; a longer one is cut, the admin finds the block by its start.
_SHOWN_KEY_LENGTH = 60


def shown_key(table: dict[str, Any], key: str) -> str:
    """A block's key or code as a message names it; '' when it has none to name it by."""
    value = table.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return ""
    if len(value) > _SHOWN_KEY_LENGTH:
        return value[: _SHOWN_KEY_LENGTH - 1] + "…"
    return value


def block_where(
    table: dict[str, Any], key: str, i: int, named: str, numbered: str, **values: object
) -> Message:
    """How a message names the i-th block: by its key or code (`named`, with %(key)s), else by
    its number (`numbered`, with %(i)s) when it has none to name it by. `values`: the rest of
    both templates' placeholders (the scenario a notification is in)."""
    shown = shown_key(table, key)
    if shown:
        return Message(named, {**values, "key": shown})
    return Message(numbered, {**values, "i": i})


def unique(codes: Iterable[str], what: Where) -> None:
    """Refuse a code that occurs twice: lookups by code would silently take the first."""
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ConfigValueError(
                "%(what)s %(code)s finns två gånger; koderna ska vara unika.", what=what, code=code
            )
        seen.add(code)
