"""CSV that opens correctly in Swedish Excel and cannot smuggle formulas into it."""

from __future__ import annotations

from typing import Any

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel's General format shows at most 11 digits; a longer number turns into 1,23457E+11.
_EXCEL_DIGITS = 11


class Number(str):
    """A cell that is a measured number (already with its decimal comma): Excel may read it
    as one."""


def excel_safe(value: Any) -> str:
    """A cell value; text Excel would run as a formula, or read as a number and so alter
    (a fax number's leading 0 or +, a long RIS or reserve number), gets a leading apostrophe:
    Excel then keeps it as the text it is."""
    if isinstance(value, Number):
        return str(value)
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) or _is_altered_number(text):
        return "'" + text
    return text


def _is_altered_number(text: str) -> bool:
    """Digits only, yet not shown by Excel as written."""
    if not (text.isascii() and text.isdigit()):
        return False
    return (len(text) > 1 and text.startswith("0")) or len(text) > _EXCEL_DIGITS
