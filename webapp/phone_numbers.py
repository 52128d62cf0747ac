"""The ways a referrer is reached: a full number, an internal extension, or a pager.

In a hospital the referring clinician often answers on a four-digit extension ("4711") or is
paged ("sök 4711"); a fax machine, though, dials only a full number.
"""

from __future__ import annotations

import re

# Digits with spaces, dashes, parentheses and an optional leading +, five digits at least.
_FULL_RE = re.compile(r"^\+?[0-9][0-9 \-()]{4,24}$")
# Dialled inside the hospital's own exchange only.
_EXTENSION_RE = re.compile(r"^[0-9]{4}$")
# As staff write a pager: "sök 4711", "sökare 4711", "personsökare 4711"; "pager 4711" as
# the English page says it.
_PAGER_RE = re.compile(r"^(?:(?:person)?sök(?:are)?|pager):?\s*[0-9]{3,8}$", re.IGNORECASE)


def is_full_number(value: str) -> bool:
    """Whether a phone or fax outside the hospital could dial the number."""
    value = value.strip()
    return bool(_FULL_RE.match(value)) and sum(ch.isdigit() for ch in value) >= 5


def reach_kind(value: str) -> str:
    """ "number", "extension" or "pager"; "" for text that is none of them."""
    value = value.strip()
    if is_full_number(value):
        return "number"
    if _EXTENSION_RE.match(value):
        return "extension"
    return "pager" if _PAGER_RE.match(value) else ""


def tel_uri(value: str) -> str:
    """A tel: link that dials the number or extension; "" for a pager (paged through the
    exchange, not dialled) or text that is no number."""
    if reach_kind(value) not in ("number", "extension"):
        return ""
    return "tel:" + value.strip().replace(" ", "")
