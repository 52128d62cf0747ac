"""Reading a row's id from text a form, a URL or a draft sent back."""

from __future__ import annotations

# Nine digits at most: any such number fits PostgreSQL's integer column, so a look-up with it
# finds a row or none; a tenth digit may overflow it and fail the query instead (a 500).
MAX_ROW_ID_DIGITS = 9


def row_id(text: object) -> int | None:
    """The id the text names, if it can be one: ASCII digits only, at most nine; else None."""
    if not isinstance(text, str):
        return None
    # isdigit alone takes "²" (which int() refuses) and "١" (which int() reads as 1): a
    # crafted field was a 500, or named another row than it shows.
    if text.isascii() and text.isdigit() and len(text) <= MAX_ROW_ID_DIGITS:
        return int(text)
    return None
