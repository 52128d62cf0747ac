"""Catalogue entries that differ only where the eye does not see it: case, spacing, a letter of
another alphabet drawn alike.

Two such entries look the same on every list, board and sheet, so staff pick one for the other:
an exam without contrast for the one with its contrast questions, a modality no exam is of.
Broken rules (siteconfig_values.rule): a stored configuration holding them still loads.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from . import siteconfig_values as v
from .refusal import Message


def alike_key(text: str) -> str:
    """A text as the eye compares it: case, spacing and compatibility forms aside."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def codes_alike(codes: Iterable[str], what: Message) -> None:
    """Refuse two codes that differ only in case or spacing (the same code twice is unique's)."""
    seen: dict[str, str] = {}
    for code in codes:
        first = seen.setdefault(alike_key(code), code)
        if first != code:
            v.rule(
                "%(what)s %(code)s och %(other)s skiljer sig bara i stora och små bokstäver "
                "eller mellanslag; koderna ska vara olika.",
                what=what,
                code=code,
                other=first,
            )


def latin_letters(codes: Iterable[str], what: Message) -> None:
    """Refuse a code with a letter of another alphabet (a Cyrillic С drawn as the Latin C)."""
    for code in codes:
        odd = next(
            (c for c in code if c.isalpha() and not unicodedata.name(c, "").startswith("LATIN")),
            None,
        )
        if odd is not None:
            v.rule(
                "%(what)s %(code)s har tecknet ”%(char)s”, som inte är en latinsk bokstav "
                "men kan se ut som en; skriv koden med latinska bokstäver.",
                what=what,
                code=code,
                char=odd,
            )


def rooms_alike(rooms: Iterable[str], where: v.Where) -> None:
    """Refuse a blank room, and one of the modality's rooms listed twice or alike."""
    seen: dict[str, str] = {}
    for room in rooms:
        if not room.strip():
            v.rule("%(where)s: ett rum saknar namn (bara mellanslag).", where=where)
            continue
        key = alike_key(room)
        if key not in seen:
            seen[key] = room
        elif seen[key] == room:
            v.rule("%(where)s: rummet %(room)s står två gånger.", where=where, room=room)
        else:
            v.rule(
                "%(where)s: rummet %(room)s och %(other)s skiljer sig bara i stora och små "
                "bokstäver eller mellanslag; rummen ska ha olika namn.",
                where=where,
                room=room,
                other=seen[key],
            )


def exam_names_alike(exams: Iterable[tuple[str, str, str]]) -> None:
    """Refuse two exams of one modality named alike: (code, name, modality) each.

    The picker lists an exam as its name and modality; two alike are one line twice.
    """
    seen: dict[tuple[str, str], str] = {}
    for code, name, modality in exams:
        first = seen.setdefault((modality, alike_key(name)), code)
        if first != code:
            v.rule(
                "Undersökningarna %(code)s och %(other)s (%(modality)s) heter likadant "
                "(”%(name)s”): listan visar dem lika och den ena väljs lätt för den andra. "
                "Ge dem olika namn.",
                code=code,
                other=first,
                modality=modality,
                name=name[:80],
            )


def names_alike(named: Iterable[tuple[str, str]], what: Message) -> None:
    """Refuse two entries named alike: (code, name) each, drawn by name alone in the forms.

    Two modalities named alike are one choice twice, with their own safety questions each.
    """
    seen: dict[str, str] = {}
    for code, name in named:
        first = seen.setdefault(alike_key(name), code)
        if first != code:
            v.rule(
                "%(what)s %(code)s och %(other)s heter likadant (”%(name)s”): listan visar "
                "dem lika och den ena väljs lätt för den andra. Ge dem olika namn.",
                what=what,
                code=code,
                other=first,
                name=name[:80],
            )
