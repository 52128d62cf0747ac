"""Numbers on the sheets' fax blocks kept whole on a line, so a wrapped list still dials right.

A reply contact may give two numbers of 40 characters (" eller ", over 80 in all). Wrapped at
any space, a line ended inside the first number and the next began inside it ("… 45" / "67
eller …"): whoever dials reads the pieces as two numbers, or two as one.
"""

from __future__ import annotations

import re

from reportlab.pdfbase.pdfmetrics import stringWidth

NO_BREAK = "\u00a0"
# Between numbers: " eller " as the routines give two phones, " / " between fax and phone.
_SEPARATOR = re.compile(r" (eller|/) ")


def kept_whole(text: str, width_pt: float, font: str, size: float) -> str:
    """The numbers' text with each number that fits a line of width_pt unbroken, and each
    separator kept at the end of the line before (a longer number still wraps at its spaces)."""
    parts = _SEPARATOR.split(text)
    numbers = [
        number.replace(" ", NO_BREAK) if stringWidth(number, font, size) <= width_pt else number
        for number in parts[::2]
    ]
    out = numbers[0]
    for separator, number in zip(parts[1::2], numbers[1:], strict=True):
        out += f"{NO_BREAK}{separator} {number}"
    return out
