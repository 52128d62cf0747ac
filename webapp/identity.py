"""Parsing and validation of Swedish identity numbers and temporary reserve numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .refusal import Refused
from .text_lines import without_format_chars

__all__ = [
    "INPUT_PATTERN",
    "IdentityError",
    "PersonalNumber",
    "age_on",
    "is_personal_number",
    "luhn_check_digit",
    "mentions_personal_number",
    "normalize_reserve_number",
    "parse_patient_number",
    "parse_personal_number",
    "personal_number_problem",
    "personal_number_spans",
    "reserve_number_key",
]

MSG_FORMAT = "Ange 10 eller 12 siffror (ÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN)."
MSG_PLUS_WITH_CENTURY = (
    "Plustecken används bara i den 10-siffriga formen (ÅÅMMDD+NNNN). "
    "Med 12 siffror anges i stället hela födelseåret, t.ex. 19121212-1212."
)
MSG_CHECK_DIGIT = "Kontrollsiffran stämmer inte – kontrollera numret."
MSG_BAD_DATE = "Datumet finns inte."
MSG_FUTURE = "Födelsedatumet ligger i framtiden – kontrollera numret."
MSG_TOO_OLD = (
    "Enligt numret är patienten över 125 år – kontrollera födelseåret, och plustecknet (det "
    "skrivs först det år patienten fyller 100)."
)
# The oldest age a patient is taken at, by number (MSG_TOO_OLD) or estimated (reserve number).
MAX_AGE = 125

MSG_RESERVE_EMPTY = "Ange ett reservnummer."
MSG_RESERVE_SHORT = "Reservnumret är för kort – det ska ha minst 4 tecken."
MSG_RESERVE_LONG = "Reservnumret är för långt – det får ha högst 20 tecken."
MSG_RESERVE_NO_ALNUM = "Reservnumret måste innehålla minst en bokstav eller siffra."
MSG_RESERVE_CHAR = (
    "Tecknet %(char)s är inte tillåtet i reservnummer (använd bokstäverna A–Z, siffror och "
    "bindestreck)."
)

RESERVE_MIN_LEN = 4
RESERVE_MAX_LEN = 20

# Dashes a number copied from a document or typed on a phone may carry instead of the
# hyphen-minus: hyphen, non-breaking hyphen, figure dash, en dash, em dash, minus sign. Each is
# read as "-"; none is ever read as "+", which would move the birth a hundred years.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_TO_HYPHEN = str.maketrans(dict.fromkeys(_DASHES, "-"))
# What an input for a personnummer lets through (HTML pattern): digits, dashes, plus and the
# spaces that the parser ignores.
INPUT_PATTERN = rf"[0-9+\-{_DASHES} ]*"
# [0-9] rather than \d: \d also matches non-ASCII digits such as Arabic-Indic ones.
_PNR_RE = re.compile(r"([0-9]{6}|[0-9]{8})([-+]?)([0-9]{4})")
_RESERVE_ALLOWED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
_SAMORDNING_DAY_OFFSET = 60
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class IdentityError(Refused):
    """Raised when an identity or reserve number is invalid; the message is user-facing Swedish."""


@dataclass(frozen=True)
class PersonalNumber:
    """A validated personnummer or samordningsnummer."""

    normalized: str
    kind: Literal["personnummer", "samordningsnummer"]
    birth_date: date
    sex: Literal["M", "F"]
    display: str


def format_patient_id(id_kind: str, patient_id: str) -> str:
    """A stored identity number as staff write it: YYYYMMDD-NNNN, or the reserve number."""
    if id_kind == "reserve":
        return patient_id
    return f"{patient_id[:8]}-{patient_id[8:]}" if len(patient_id) == 12 else patient_id


def luhn_check_digit(nine_digits: str) -> int:
    """Return the Luhn check digit for the first nine digits of a 10-digit identity number."""
    if len(nine_digits) != 9 or not all("0" <= ch <= "9" for ch in nine_digits):
        raise ValueError("luhn_check_digit expects exactly nine ASCII digits")
    total = 0
    for index, ch in enumerate(nine_digits):
        product = int(ch) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def age_on(birth_date: date, day: date) -> int:
    """Return the age in whole years on the given day (Swedish rule for 29 February birthdays)."""
    if day < birth_date:
        # Only a site clock or time zone moved back since the number was stored gets here (a
        # number born in the future is refused when typed): a newborn, not an error page.
        return 0
    birthday_month, birthday_day = birth_date.month, birth_date.day
    # Beräkningslagen (1930:173) 3 §: a period ending on a day missing in that month ends on the
    # month's last day, so someone born 29 February turns a year older on 28 February.
    if (birthday_month, birthday_day) == (2, 29) and not _is_leap(day.year):
        birthday_day = 28
    had_birthday = (day.month, day.day) >= (birthday_month, birthday_day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def parse_personal_number(text: str, today: date) -> PersonalNumber:
    """Parse and validate a personnummer or samordningsnummer in 10- or 12-digit form.

    `today` is the site's date (``cases.fields.site_today``), not the laptop's: it decides the
    century of a ten-digit number, so on another date the same number is another person.
    """
    # Numbers are often written in groups ("19121212 1212"): spaces carry no meaning.
    match = _PNR_RE.fullmatch("".join(without_format_chars(text).split()).translate(_TO_HYPHEN))
    if match is None:
        raise IdentityError(MSG_FORMAT)
    date_part, separator, serial = match.groups()
    if len(date_part) == 8 and separator == "+":
        raise IdentityError(MSG_PLUS_WITH_CENTURY)

    ten_digits = date_part[-6:] + serial
    if luhn_check_digit(ten_digits[:9]) != int(ten_digits[9]):
        raise IdentityError(MSG_CHECK_DIGIT)

    month = int(date_part[-4:-2])
    number_day = int(date_part[-2:])
    kind: Literal["personnummer", "samordningsnummer"] = "personnummer"
    real_day = number_day
    if number_day > _SAMORDNING_DAY_OFFSET:
        kind = "samordningsnummer"
        real_day = number_day - _SAMORDNING_DAY_OFFSET

    if len(date_part) == 8:
        year = int(date_part[:4])
    else:
        year = _resolve_century(int(date_part[:2]), month, real_day, today, separator == "+")

    try:
        birth_date = date(year, month, real_day)
    except ValueError:
        raise IdentityError(MSG_BAD_DATE) from None
    if birth_date > today:
        raise IdentityError(MSG_FUTURE)

    normalized = f"{year:04d}{date_part[-4:]}{serial}"
    return PersonalNumber(
        normalized=normalized,
        kind=kind,
        birth_date=birth_date,
        sex="M" if int(serial[2]) % 2 == 1 else "F",
        display=f"{normalized[:8]}-{normalized[8:]}",
    )


def parse_patient_number(text: str, today: date) -> PersonalNumber:
    """`parse_personal_number` for the patient being seen, whose identity is stored.

    A "+" typed for the "-" reads someone born in 1930 as born in 1830, and a 12-digit number
    can carry a mistyped century; no patient is that old. Not refused by
    `parse_personal_number`: such a number in free text must still be found to anonymise it.
    """
    number = parse_personal_number(text, today)
    if age_on(number.birth_date, today) > MAX_AGE:
        raise IdentityError(MSG_TOO_OLD)
    return number


def personal_number_problem(text: str, today: date) -> str | None:
    """What is wrong with text written as a personnummer; None if it is one, or is no attempt.

    For fields that take a personnummer or other text (a reserve number, a code): only a
    number in the personnummer's form (digits, a dash or plus) gets a message.
    """
    try:
        parse_personal_number(text, today)
    except IdentityError as exc:
        return None if str(exc) == MSG_FORMAT else str(exc)
    return None


def is_personal_number(text: str, today: date) -> bool:
    """Whether text is a valid personnummer or samordningsnummer on the site's date."""
    try:
        parse_personal_number(text, today)
    except IdentityError:
        return False
    return True


# A personnummer or samordningsnummer anywhere in a text, in its 10- or 12-digit form.
_NUMBER_IN_TEXT = re.compile(r"(?<!\d)(?:\d{6}|\d{8})[-+]?\d{4}(?!\d)")


def mentions_personal_number(text: str, today: date) -> bool:
    """Whether free text holds a valid personnummer or samordningsnummer anywhere in it."""
    return any(is_personal_number(m, today) for m in _NUMBER_IN_TEXT.findall(text))


# As written in running text: a space may stand for the hyphen, or surround it.
_NUMBER_WRITTEN = re.compile(
    rf"(?<![0-9])(?:[0-9]{{8}}|[0-9]{{6}})(?: ?[-+{_DASHES}] ?| )?[0-9]{{4}}(?![0-9])"
)


def personal_number_spans(text: str, today: date) -> list[tuple[int, int]]:
    """Where free text holds a valid personnummer or samordningsnummer: (start, end) each."""
    return [m.span() for m in _NUMBER_WRITTEN.finditer(text) if is_personal_number(m[0], today)]


def normalize_reserve_number(text: str) -> str:
    """Normalise a temporary reserve number: strip, uppercase, remove spaces, validate."""
    # Spaces are removed, not kept, so "RES 123" and "RES123" map to the same patient record.
    # Only ASCII is uppercased: str.upper() turns e.g. "ß" into "SS", another number.
    cleaned = "".join(without_format_chars(text).split()).translate(_ASCII_UPPER)
    if not cleaned:
        raise IdentityError(MSG_RESERVE_EMPTY)
    for ch in cleaned:
        # ASCII only: the number is printed on wristbands and in barcodes that lack å, ä, ö.
        if ch not in _RESERVE_ALLOWED:
            raise IdentityError(MSG_RESERVE_CHAR, char=repr(ch))
    if len(cleaned) < RESERVE_MIN_LEN:
        raise IdentityError(MSG_RESERVE_SHORT)
    if len(cleaned) > RESERVE_MAX_LEN:
        raise IdentityError(MSG_RESERVE_LONG)
    if cleaned.strip("-") == "":
        raise IdentityError(MSG_RESERVE_NO_ALNUM)
    return cleaned


def reserve_number_key(number: str) -> str:
    """A reserve number as compared, never as stored: hyphens, spaces and case ignored.

    The number is stored and shown as the wristband has it, but "RES-0001" typed "RES0001" on
    the next sheet is the same wristband.
    """
    return "".join(without_format_chars(number).split()).replace("-", "").translate(_ASCII_UPPER)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _resolve_century(yy: int, month: int, day: int, today: date, plus: bool) -> int:
    # "+" is written from 1 January of the year the person turns 100, so it means a birth year
    # at least 100 years before this one: the latest such year ending in yy.
    if plus:
        latest = today.year - 100
        return latest - (latest - yy) % 100
    # "-" means a birth within the last 99 years: the most recent year ending in yy whose
    # birthday is not after today. Tuples avoid building a date before we know it exists
    # (29 February).
    year = today.year - (today.year - yy) % 100
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    return year
