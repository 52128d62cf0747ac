"""[identity]: the region's own reserve-number format, when the site names one.

Regions write their reserve numbers differently (a birth date and a serial, a letter prefix):
a site that names its format has every reserve number typed on a form checked against it, with
its example shown at the field. Without it, any number the generic rule takes
(identity.normalize_reserve_number). Numbers already stored are never checked again: a format
set during an outage must not lock the cases saved before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

# The parser re itself uses: walking its tree is the cheap way to see what a pattern does.
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from . import siteconfig_values as v
from .identity import IdentityError, normalize_reserve_number
from .refusal import Message

IDENTITY_SECTION = "identity"
PATTERN_KEY = "reserve_number_pattern"
EXAMPLE_KEY = "reserve_number_example"
DESCRIPTION_KEY = "reserve_number_description"
IDENTITY_KEYS = (PATTERN_KEY, EXAMPLE_KEY, DESCRIPTION_KEY)
WHERE = "[identity]"
PATTERN_LONGEST = 200
# Shown beside the field and in its message, on a tablet held upright.
DESCRIPTION_LONGEST = 80
# Repeats of varying length and alternatives a pattern may hold (see _checked_pattern).
MOST_CHOICES = 6

MSG_NOT_SITE_FORMAT = "Reservnumret följer inte enhetens format – skriv det som t.ex. %(example)s."
MSG_NOT_SITE_FORMAT_DESCRIBED = (
    "Reservnumret följer inte enhetens format (%(description)s) – skriv det som t.ex. %(example)s."
)

_REPEATS = (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT)
_LOOKAROUNDS = (_parser.ASSERT, _parser.ASSERT_NOT)
_BACKREFERENCES = (_parser.GROUPREF, _parser.GROUPREF_EXISTS)
# What a repeat may hold any number of times: one character each time, nothing to backtrack.
_ONE_CHARACTER = (_parser.LITERAL, _parser.NOT_LITERAL, _parser.IN, _parser.ANY)


@dataclass(frozen=True)
class ReserveFormat:
    """A site's reserve-number format: a pattern matched in full, and a number written in it."""

    pattern: str
    example: str
    description: str = ""

    @cached_property
    def _compiled(self) -> re.Pattern[str]:
        # ASCII: \d and \w must not take digits or letters a wristband's barcode cannot hold.
        return re.compile(self.pattern, re.ASCII)

    def matches(self, number: str) -> bool:
        """Whether a normalised reserve number is written in the format."""
        return self._compiled.fullmatch(number) is not None

    def check(self, number: str) -> None:
        """Refuse a normalised reserve number not written in the format, naming the example."""
        if self.matches(number):
            return
        if self.description:
            raise IdentityError(
                MSG_NOT_SITE_FORMAT_DESCRIBED, description=self.description, example=self.example
            )
        raise IdentityError(MSG_NOT_SITE_FORMAT, example=self.example)


def parse_reserve_format(raw: dict[str, Any]) -> ReserveFormat | None:
    """The [identity] section's format, checked; None when the site names none."""
    table = v.table(raw, IDENTITY_SECTION, WHERE)
    v.known(table, IDENTITY_KEYS, WHERE)
    pattern = v.text(table, PATTERN_KEY, WHERE)
    example = v.text(table, EXAMPLE_KEY, WHERE)
    description = v.text(table, DESCRIPTION_KEY, WHERE, max_length=DESCRIPTION_LONGEST)
    if not (pattern or example or description):
        return None
    if not pattern:
        raise v.ConfigValueError(
            "%(where)s: %(key)s saknas; %(example)s och %(description)s beskriver formatet som "
            "anges där.",
            where=WHERE,
            key=PATTERN_KEY,
            example=EXAMPLE_KEY,
            description=DESCRIPTION_KEY,
        )
    if not example:
        raise v.ConfigValueError(
            '%(where)s: %(key)s saknas; ange ett reservnummer i formatet, t.ex. %(key)s = "…": '
            "det visas vid fältet och i meddelandet när ett nummer inte följer formatet.",
            where=WHERE,
            key=EXAMPLE_KEY,
        )
    compiled = _checked_pattern(pattern)
    try:
        normalized = normalize_reserve_number(example)
    except IdentityError as exc:
        raise v.ConfigValueError(
            "%(where)s: %(key)s %(example)s är inget giltigt reservnummer: %(problem)s",
            where=WHERE,
            key=EXAMPLE_KEY,
            example=example,
            problem=Message(exc.message, exc.values),
        ) from exc
    if compiled.fullmatch(normalized) is None:
        raise v.ConfigValueError(
            "%(where)s: %(key)s %(example)s följer inte %(pattern_key)s (som det skrivs: versaler, "
            "utan mellanslag); exemplet visas vid fältet och ska vara ett nummer i formatet.",
            where=WHERE,
            key=EXAMPLE_KEY,
            example=normalized,
            pattern_key=PATTERN_KEY,
        )
    return ReserveFormat(pattern=pattern, example=normalized, description=description.strip())


def _checked_pattern(pattern: str) -> re.Pattern[str]:
    if len(pattern) > PATTERN_LONGEST:
        raise v.ConfigValueError(
            "%(where)s: %(key)s får vara högst %(most)s tecken; nu är det %(n)s.",
            where=WHERE,
            key=PATTERN_KEY,
            most=PATTERN_LONGEST,
            n=len(pattern),
        )
    try:
        compiled = re.compile(pattern, re.ASCII)
    except (re.error, RecursionError, OverflowError) as exc:
        position = getattr(exc, "pos", None)
        raise v.ConfigValueError(
            "%(where)s: %(key)s går inte att läsa som reguljärt uttryck (fel vid tecken "
            "%(position)s).",
            where=WHERE,
            key=PATTERN_KEY,
            position="?" if position is None else position + 1,
        ) from exc
    problem = _slow_or_unsupported(_parser.parse(pattern, re.ASCII))
    if problem:
        raise v.ConfigValueError(
            "%(where)s: %(key)s: %(problem)s", where=WHERE, key=PATTERN_KEY, problem=problem
        )
    choices = _choice_points(_parser.parse(pattern, re.ASCII))
    if choices > MOST_CHOICES:
        # Each is a choice the matcher may go back on, so the time multiplies with every one:
        # on a 20-character number six [A-Z]* took 5 ms, nine 150 ms, twelve 6 s.
        raise v.ConfigValueError(
            "%(where)s: %(key)s får ha högst %(most)s upprepningar med varierande längd eller "
            "alternativ (*, +, ?, {n,m}, |); nu är det %(n)s.",
            where=WHERE,
            key=PATTERN_KEY,
            most=MOST_CHOICES,
            n=choices,
        )
    if compiled.fullmatch("") is not None:
        raise v.ConfigValueError(
            "%(where)s: %(key)s godtar ett tomt reservnummer; formatet ska kräva minst ett tecken.",
            where=WHERE,
            key=PATTERN_KEY,
        )
    return compiled


def _slow_or_unsupported(items: Any, repeated: bool = False) -> Message | None:
    """What in a parsed pattern is refused: references, lookarounds, and a repeated group that
    holds a repeat or alternatives, whose backtracking can take exponential time."""
    for op, av in items:
        if op in _BACKREFERENCES:
            return Message("bakåtreferenser (\\1, (?P=namn)) stöds inte.")
        if op in _LOOKAROUNDS:
            return Message("lookahead eller lookbehind ((?=…), (?!…), (?<=…), (?<!…)) stöds inte.")
        if op in _REPEATS:
            _least, most, body = av
            many = most > 1
            if repeated and many:
                return _NESTED
            single = len(body) == 1 and body[0][0] in _ONE_CHARACTER
            found = _slow_or_unsupported(body, repeated or (many and not single))
        elif op == _parser.BRANCH:
            if repeated:
                return _NESTED
            found = _first(_slow_or_unsupported(branch, repeated) for branch in av[1])
        elif op == _parser.SUBPATTERN:
            found = _slow_or_unsupported(av[3], repeated)
        elif op == _parser.ATOMIC_GROUP:
            found = _slow_or_unsupported(av, repeated)
        else:
            continue
        if found:
            return found
    return None


_NESTED = Message(
    "en upprepad grupp får inte själv innehålla en upprepning (*, +, {n,m}) eller alternativ "
    "(|); skriv t.ex. [A-Z0-9]{4} i stället för (A|B|[0-9])+."
)


def _choice_points(items: Any) -> int:
    """The repeats of varying length and the alternatives in a parsed pattern, nested ones too."""
    count = 0
    for op, av in items:
        if op in _REPEATS:
            least, most, body = av
            count += (least != most) + _choice_points(body)
        elif op == _parser.BRANCH:
            count += 1 + sum(_choice_points(branch) for branch in av[1])
        elif op == _parser.SUBPATTERN:
            count += _choice_points(av[3])
        elif op == _parser.ATOMIC_GROUP:
            count += _choice_points(av)
    return count


def _first(problems: Any) -> Message | None:
    return next((p for p in problems if p), None)
