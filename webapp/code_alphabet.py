"""The alphabet, arithmetic and checks that case codes, incident lists' and transfers' references
share (their formats are described in ``codes``), and what reading any of them may raise."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .text_lines import without_format_chars

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BASE = len(ALPHABET)  # 31, prime: every non-zero weight and difference is invertible.
VALUE = {ch: index for index, ch in enumerate(ALPHABET)}
# Body weights 1..5 and check weight -1 (30): all distinct and non-zero modulo 31.
WEIGHTS = (1, 2, 3, 4, 5, BASE - 1)
BODY_LENGTH = 5
CODE_LENGTH = 6

PAYLOAD_PREFIX = "RR1"
MAX_PAYLOAD_LENGTH = 32
# 31**4 = 923,521 stamps: two laptops' incidents with the same id share one by chance about once
# in a million, whatever their site and start (which another laptop may share, or guess).
STAMP_LENGTH = 4

MSG_BAD_VERSION = "Versionen måste vara ett positivt heltal."
MSG_TOO_LONG = "QR-koden blir för lång (högst 32 tecken)."
MSG_BAD_STAMP = (
    "Ärendelistans QR-kod har en felaktig driftstoppsmärkning (4 tecken efter bindestrecket). "
    "Skanna listan igen."
)

# A dash copied from a document or typed on a phone is meant as the hyphen-minus: hyphen,
# non-breaking hyphen, figure dash, en dash, em dash, minus sign (as a personnummer reads them).
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
TO_HYPHEN = str.maketrans(dict.fromkeys(DASHES, "-"))
# Written between a case code's halves instead of the dash (codes: Typed and pasted codes).
HALF_SEPARATORS = "_./"
POSITIVE_INT_RE = re.compile("[0-9]+")
ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyzö", "ABCDEFGHIJKLMNOPQRSTUVWXYZÖ")


class CodeError(ValueError):
    """Raised for an invalid case code or scan; the message is user-facing Swedish.

    `template` and `values` are the message before it is filled in, for gettext: a message
    that names the character or document type is then shown in the user's language too.
    """

    def __init__(self, template: str, **values: object) -> None:
        self.template = template
        self.values = values
        super().__init__(template % values if values else template)


@dataclass(frozen=True)
class ScanResult:
    """What a scanned or typed code refers to."""

    kind: Literal["case", "incident", "transfer", "ward_referral"]
    case_code: str | None
    incident_id: int | None
    doc: str | None
    version: int | None
    page: int | None = None
    # An incident list's stamp; None for a list printed before lists carried one.
    incident_stamp: str | None = None
    # A transfer label's: the transfer's id and its stamp (checked against the check character).
    transfer_id: int | None = None
    transfer_stamp: str | None = None
    # A ward referral form's: the stamp of its site's code (ward_codes.site_form_stamp).
    site_stamp: str | None = None
    # A disc label's: the release or transfer the disc is of ("release" or "transfer") and its
    # id; None for a label printed before labels named it (disc_label_codes).
    disc_record: str | None = None
    disc_record_id: int | None = None


def compact_code(text: str) -> str:
    """The typed code without spaces, dashes and invisible characters, in upper case."""
    compact = "".join(ch for ch in "".join(without_format_chars(text).split()) if ch not in DASHES)
    # Only ASCII is uppercased: str.upper() maps e.g. "ß" to "SS", changing the length.
    compact = compact.translate(ASCII_UPPER)
    half = CODE_LENGTH // 2
    if len(compact) == CODE_LENGTH + 1 and compact[half] in HALF_SEPARATORS:
        return compact[:half] + compact[half + 1 :]
    return compact


def checked_stamp(stamp: str, message: str = MSG_BAD_STAMP) -> str:
    if len(stamp) != STAMP_LENGTH or any(ch not in VALUE for ch in stamp):
        raise CodeError(message)
    return stamp


def require_positive(value: int, message: str) -> None:
    # bool is an int subclass; True as a version number is a caller bug.
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise CodeError(message)


def parse_positive(text: str, message: str) -> int:
    if not POSITIVE_INT_RE.fullmatch(text) or int(text) < 1:
        raise CodeError(message)
    return int(text)


def limit_payload(payload: str) -> str:
    if len(payload) > MAX_PAYLOAD_LENGTH:
        raise CodeError(MSG_TOO_LONG)
    return payload
