"""The patient's identity taken out of free text that leaves the department anonymised.

What the app knows of the patient (name, identity or reserve number) and any valid
personnummer can be found and removed. Addresses, phone numbers and relatives' names cannot be
found reliably: `identifying_hints` only points at what a person must read before the fax goes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .identity import personal_number_spans, reserve_number_key

__all__ = [
    "REMOVED",
    "FreeText",
    "PatientIdentity",
    "Scrubbed",
    "identifying_hints",
    "scrub",
    "without_identity",
]

# Visible on the sheet: the reviewer sees that something stood there, not a sentence that
# silently reads differently.
REMOVED = "[borttaget]"

# What may stand between the digits of a written number: spaces, hyphen, plus, other dashes.
_DIGIT_GAP = r"[\s+\-\u2010-\u2014\u2212]*"
_RESERVE_GAP = r"[\s\-]*"
# Swedish possessive: "Ingrids", "SVT:s", and the English apostrophe a copy may bring.
_POSSESSIVE = r"(?:s|:s|'s|’s)?"
# A one-letter initial would take every "i", "å" and "m." with it.
_MIN_NAME_LEN = 2


@dataclass(frozen=True)
class PatientIdentity:
    """The identity a case holds, as stored: patient_id is 12 digits or the reserve number."""

    name: str
    id_kind: str
    patient_id: str


@dataclass(frozen=True)
class Scrubbed:
    text: str
    removed: int  # how many places were replaced by REMOVED


def _name_tokens(name: str) -> list[str]:
    tokens: set[str] = set()
    for word in re.split(r"[\s,]+", unicodedata.normalize("NFC", name)):
        word = word.strip(".")
        # The hyphenated name whole, and each part: "Karl-Johan" is also called "Johan".
        for token in (word, *word.split("-")):
            if len(token) >= _MIN_NAME_LEN:
                tokens.add(token)
    # Longest first, so "Karl-Johan" goes as one rather than as "Karl" and "Johan".
    return sorted(tokens, key=len, reverse=True)


def _number_pattern(patient: PatientIdentity) -> str | None:
    number = patient.patient_id.strip()
    if not number:
        return None
    if patient.id_kind == "reserve":
        chars = reserve_number_key(number)
        return (
            r"(?<![A-Za-z0-9])"
            + _RESERVE_GAP.join(re.escape(c) for c in chars)
            + r"(?![A-Za-z0-9])"
        )
    digits = "".join(c for c in number if c.isdigit())
    forms = {digits, digits[-10:]}
    return (
        r"(?<![0-9])(?:"
        + "|".join(_DIGIT_GAP.join(form) for form in sorted(forms, key=len, reverse=True))
        + r")(?![0-9])"
    )


def _patient_spans(text: str, patient: PatientIdentity) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    number = _number_pattern(patient)
    if number is not None:
        spans += [m.span() for m in re.finditer(number, text, re.IGNORECASE)]
    tokens = _name_tokens(patient.name)
    if tokens:
        names = "|".join(re.escape(t) for t in tokens)
        pattern = rf"(?<!\w)(?:{names}){_POSSESSIVE}(?!\w)"
        spans += [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]
    return spans


def _merged(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as one, and so are spans apart by spaces or a comma only: "Ingrid
    Lillqvist" is one removal, not two markers side by side."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip(" ,")):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def scrub(
    text: str, patient: PatientIdentity, today: date, earlier: Sequence[PatientIdentity] = ()
) -> Scrubbed:
    """Text with the patient's names and numbers and any valid personnummer replaced by REMOVED.

    today is the site's date: it decides whether a ten-digit number is a valid personnummer.
    earlier: the identities the case named the patient by before a correction; text written
    then may still say them (a reserve number, a misspelt name).
    """
    text = unicodedata.normalize("NFC", text)
    spans = personal_number_spans(text, today)
    for identity in (patient, *earlier):
        spans += _patient_spans(text, identity)
    if not spans:
        return Scrubbed(text, 0)
    merged = _merged(text, spans)
    parts: list[str] = []
    last = 0
    for start, end in merged:
        parts += [text[last:start], REMOVED]
        last = end
    parts.append(text[last:])
    return Scrubbed("".join(parts), len(merged))


@dataclass(frozen=True)
class FreeText:
    """What a person typed that an anonymised sheet prints: (label, value) for the safety notes."""

    requested_exam: str
    clinical_question: str
    history: str
    safety: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()
    # Staff, but typed by hand: the patient's name or number put in the wrong field would print.
    referring_unit: str = ""
    referrer_clinician: str = ""
    referrer_phone: str = ""
    removed: int = 0  # places scrub replaced by REMOVED, over all of it


def without_identity(
    text: FreeText, patient: PatientIdentity, today: date, earlier: Sequence[PatientIdentity] = ()
) -> FreeText:
    """Every part scrubbed, the safety notes and warnings too: a name typed anywhere on the
    referral must not reach the external reviewer's fax (earlier: as for scrub)."""
    removed = 0

    def clean(part: str) -> str:
        nonlocal removed
        result = scrub(part, patient, today, earlier)
        removed += result.removed
        return result.text

    return FreeText(
        requested_exam=clean(text.requested_exam),
        clinical_question=clean(text.clinical_question),
        history=clean(text.history),
        safety=tuple((label, clean(value)) for label, value in text.safety),
        warnings=tuple(clean(w) for w in text.warnings),
        referring_unit=clean(text.referring_unit),
        referrer_clinician=clean(text.referrer_clinician),
        referrer_phone=clean(text.referrer_phone),
        removed=removed,
    )


# Dates and times are dropped before looking for phone numbers: "2026-12-05 12" is no number.
_DATE_OR_TIME = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[:.]\d{2}")
_PHONE = re.compile(r"(?<![\w.,])(?:\+46 ?|0)\d[\d \-]{4,}\d(?![\w,]|[.,]\d)")
_LONG_NUMBER = re.compile(r"(?<![\w.,])\d[\d \-]{5,}\d(?![\w]|[.,]\d)")
_MIN_PHONE_DIGITS = 7
# A street: "…gatan" on its own, or "…vägen 12" with a number ("luftvägen" alone is clinical).
_STREET = re.compile(
    r"\b\w*gatan\b(?:\s+\d+[A-Za-z]?\b)?|\b\w+(?:vägen|gränd|torget|stigen|allén)\s+\d+[A-Za-z]?\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def identifying_hints(text: str) -> tuple[str, ...]:
    """Parts of text that look like an address, phone number or e-mail, in order of first use."""
    blanked = _DATE_OR_TIME.sub(lambda m: " " * len(m[0]), text)
    found: list[tuple[int, str]] = []
    for pattern in (_PHONE, _LONG_NUMBER):
        for m in pattern.finditer(blanked):
            candidate = text[m.start() : m.end()].strip(" -")
            if sum(c.isdigit() for c in candidate) >= _MIN_PHONE_DIGITS:
                found.append((m.start(), candidate))
    for pattern in (_STREET, _EMAIL):
        found += [(m.start(), m[0]) for m in pattern.finditer(text)]
    hints: list[str] = []
    for _, hint in sorted(found):
        if not any(hint in seen for seen in hints):
            hints.append(hint)
    return tuple(hints)
