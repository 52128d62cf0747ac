"""One line of text: what a single-line field, a label or a list cell may hold."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# What ends or breaks a line, a tab among them (str.isspace's controls), and the spaces beside
# it: a break inside a value stood for a space between two words, and its indent for none.
_BREAKS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"
_BREAK_RE = re.compile(f" *[{_BREAKS}][{_BREAKS} ]*")
# The other control characters (C0, DEL, C1) stand for nothing a reader could see.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def one_line(value: Any) -> Any:
    """Filter: a line break or tab becomes one space, other control characters go.

    Browsers drop line breaks from an <input>, a crafted POST or a synced draft need not; on
    the sheets, in the CSV and RIS exports and in a QR payload a second line broke the layout
    or the format. A break at either end goes with nothing in its place. Other values pass.
    """
    if not isinstance(value, str) or value.isprintable():
        return value
    value = _CONTROL_RE.sub("", value)
    return _BREAK_RE.sub(lambda m: "" if _at_an_end(m, value) else " ", value)


def _at_an_end(match: re.Match[str], value: str) -> bool:
    return match.start() == 0 or match.end() == len(value)


def without_format_chars(text: str) -> str:
    """Text without its format characters (Unicode category Cf), which show as nothing.

    A zero-width space or joiner, a word joiner, a BOM, a soft hyphen, the direction marks and
    isolates an e-mail or a spreadsheet puts around a copied number or code: none is a letter,
    digit, dash or plus, so what is read is what staff see.
    """
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
