"""What a draft begun without a case names: the patient and the case code typed into it.

Its label shows them in every list of drafts, so the access log names them as it writes
patients and case codes, where a patient's or a case's extract finds them.
"""

from __future__ import annotations

import re
from typing import Any

from .cases.display import masked_number
from .cases.fields import site_today
from .codes import CodeError, parse_case_code
from .identity import IdentityError, normalize_reserve_number, parse_personal_number


def typed_patient_of(kind: str, data: Any) -> str:
    """The patient typed into a draft of this kind, written as the access log writes them."""
    # A referral draft has no case yet, so its audit rows name the identity typed into it; a
    # transfer may be of a patient with no case in the app at all.
    if not isinstance(data, dict):
        return ""
    reserve = False
    if kind in ("referral", "blank_referral"):
        reserve = data.get("id_mode") == "reserve"
        value = data.get("reserve_number" if reserve else "personal_number")
    elif kind == "transfer":
        value = data.get("patient_ref")
    else:
        return ""
    if not isinstance(value, str) or not value.strip():
        return ""
    try:
        if reserve:
            return normalize_reserve_number(value)
        return parse_personal_number(value, site_today()).normalized
    except IdentityError:
        return "".join(value.split()).upper()[:40]


def typed_code_of(data: Any) -> str:
    """The case code typed into a form begun without a case, in its stored form, or ""."""
    text = data.get("case_code") if isinstance(data, dict) else None
    if not isinstance(text, str) or not text.strip():
        return ""
    try:
        return parse_case_code(text.strip())
    except CodeError:
        return ""


# A personnummer or samordningsnummer as typed: 6 or 8 digits, a separator or none, 4 digits.
_NUMBER_RE = re.compile(r"(?<!\d)(\d{6}|\d{8})([-+ ]?)\d{4}(?!\d)")


def masked_label(kind: str, label: str, data: Any) -> str:
    """The label a tablet built for a draft begun without a case (static/js/draft-copies.js,
    labelFor), with the identity number masked as every list masks it
    (cases.display.masked_number): the label carries the number as typed, in full.
    """
    typed = data.get("personal_number") if isinstance(data, dict) else None
    number = typed_patient_of(kind, data)
    if isinstance(typed, str) and typed.strip() and len(number) == 12 and number.isdigit():
        label = label.replace(typed.strip(), masked_number("personnummer", number))
    return mask_numbers(label)


def mask_numbers(text: str) -> str:
    """Text with every identity number's last four hidden, as lists show numbers: one typed
    with a wrong check digit or a transfer's patient too. A reserve number has another shape."""
    return _NUMBER_RE.sub(lambda m: f"{m.group(1)}{m.group(2) or '-'}****", text)
