"""CSV that opens correctly in Swedish Excel and cannot smuggle formulas into it."""

from __future__ import annotations

import re
from typing import Any

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel in an English locale splits the same file on commas, and a line break ends its row
# wherever the semicolon quoting put it: each starts a cell there. The quotes the writer doubles
# are taken off that cell's front, so a formula behind them would run too.
_CELL_INSIDE = re.compile(r'([,\r\n])(?="*[=+\-@\t\r])')
# Excel's General format shows at most 11 digits; a longer number turns into 1,23457E+11.
_EXCEL_DIGITS = 11
# Digits around an E are a number in scientific notation to Excel, in every locale: a reserve
# or RIS number such as "12E4" would be stored as 120000.
_EXPONENT = re.compile(r"[0-9]+[Ee][+-]?[0-9]+")
# What Excel reads as a date or a time of day (in Swedish or English), storing a day number or a
# fraction of one: reserve number "1-12" would come back as a day in December. Only identifiers
# are guarded so: a real date column stays plain ISO, which Excel and an importer read as one.
_MONTH = (
    r"(?:jan(?:uary|uari)?|feb(?:ruary|ruari)?|mar(?:ch|s)?|apr(?:il)?|ma[jy]|jun[ei]?|"
    r"jul[iy]?|aug(?:ust|usti)?|sept?(?:ember)?|o[ck]t(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"[0-9]{1,4}[-/.][0-9]{1,4}(?:[-/.][0-9]{1,4})?"
_TIME = r"[0-9]{1,2}:[0-9]{1,2}(?::[0-9]{1,2}(?:[.,][0-9]+)?)?(?:\s*[ap]m?)?"
_NAMED = rf"[0-9]{{1,2}}[-/ ]?{_MONTH}(?:[-/ ][0-9]{{1,4}})?|{_MONTH}[-/ ]?[0-9]{{1,4}}"
_DATE_OR_TIME = re.compile(rf"(?:{_DAY}|{_NAMED})(?:\s+{_TIME})?|{_TIME}", re.IGNORECASE)


class Identifier(str):
    """A cell that names something (a RIS or reserve number, a fax number, a batch number):
    Excel must keep it as written, where it would read it as a date or a time too."""


class Number(str):
    """A cell that is a measured number (already with its decimal comma): Excel may read it
    as one."""


def excel_safe(value: Any) -> str:
    """A cell value; text Excel would run as a formula, or read as a number and so alter
    (a fax number's leading 0 or +, a long RIS or reserve number), or an Identifier it would
    read as a date or a time, gets a leading apostrophe: Excel then keeps it as the text it
    is. So does a formula after a comma or a line break inside the cell."""
    if isinstance(value, Number):
        return str(value)
    text = "" if value is None else str(value)
    is_date_like = isinstance(value, Identifier) and _DATE_OR_TIME.fullmatch(text.strip())
    text = _CELL_INSIDE.sub(r"\1'", text)
    if text.startswith(_FORMULA_START) or _is_altered_number(text) or is_date_like:
        return "'" + text
    return text


def _is_altered_number(text: str) -> bool:
    """Digits only, yet not shown by Excel as written."""
    if _EXPONENT.fullmatch(text):
        return True
    if not (text.isascii() and text.isdigit()):
        return False
    return (len(text) > 1 and text.startswith("0")) or len(text) > _EXCEL_DIGITS
