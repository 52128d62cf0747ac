"""How the [routines] part of the site TOML reads its values: texts, lists, tables, blocks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import siteconfig_values as v
from .refusal import Refused


class RoutinesConfigError(Refused):
    """The [routines] section is not usable: a Swedish template and its values."""


# A value the [routines] part reads as a text: a whole number is taken as its digits.
def is_text(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def text(raw: dict[str, Any], key: str, where: str, default: str = "") -> str:
    value = raw.get(key, default)
    if not is_text(value):
        # Read as its Python text before this check; a stored one keeps loading so.
        v.rule(
            '%(where)s: %(key)s ska vara en text inom citattecken, t.ex. %(key)s = "…".',
            where=where,
            key=key,
        )
    return str(value)


def texts(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key)
    if value is None:
        return ()
    example = f'{key} = ["…", "…"]'
    if not isinstance(value, list):
        # A single text would be read letter by letter.
        raise v.ConfigValueError(
            "%(where)s: %(key)s ska vara en lista av texter, t.ex. %(example)s.",
            where=where,
            key=key,
            example=example,
        )
    if not all(is_text(item) for item in value):
        v.rule(
            "%(where)s: %(key)s ska vara en lista av texter inom citattecken, t.ex. %(example)s.",
            where=where,
            key=key,
            example=example,
        )
    return tuple(str(item) for item in value if str(item).strip())


def checklist(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    return v.ticked_once(texts(raw, key, where), f"{where}.{key}")


def table(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise v.ConfigValueError("[%(where)s.%(key)s] ska vara en tabell.", where=where, key=key)
    return value


def items(raw: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    """The blocks [[where.key]], one table each; written otherwise, none (a broken rule)."""
    value = raw.get(key, [])
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return value
    v.rule(
        "%(where)s: %(key)s ska skrivas som block [[%(where)s.%(key)s]] med en tabell per post.",
        where=where,
        key=key,
    )
    return []


def item_where(where: str, i: int, item: dict[str, Any], key: str) -> str:
    """One block of [[where]], by its number and, when it has one, its key or name."""
    named = item.get(key)
    shown = f" ({named})" if is_text(named) and str(named) else ""
    return f"[[{where}]] {i}{shown}"


def required(item: dict[str, Any], key: str, where: str, *, max_length: int | None = None) -> str:
    if item.get(key) in ("", None):
        raise RoutinesConfigError("'%(key)s' saknas i %(where)s.", key=key, where=where)
    value = text(item, key, where)
    if max_length is not None:
        # Stored with each call or transfer: longer would fail the write (PostgreSQL).
        v.longest(value, max_length, f"{where}: {key}")
    return value


def unique(keys: Iterable[str], where: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise RoutinesConfigError(
                "Nyckeln '%(key)s' finns två gånger i %(where)s.", key=key, where=where
            )
        seen.add(key)
