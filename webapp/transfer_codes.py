"""The reference of a transfer with no case (``T42-K7Q3U``) and its label's QR payload
(``RR1:T42-K7Q3U:OVF:1``); their format is described in ``codes``, which reads them."""

from __future__ import annotations

import re

from .code_alphabet import (
    ALPHABET,
    BASE,
    BODY_LENGTH,
    MSG_BAD_VERSION,
    PAYLOAD_PREFIX,
    STAMP_LENGTH,
    VALUE,
    WEIGHTS,
    CodeError,
    ScanResult,
    checked_stamp,
    compact_code,
    limit_payload,
    require_positive,
)

TRANSFER_DOC = "OVF"
MSG_BAD_TRANSFER = "Överföringens referens ska vara T, överföringens nummer och 5 tecken."
MSG_TRANSFER_CHECK = (
    "Kontrolltecknet stämmer inte – överföringens referens är felskriven. Kontrollera "
    "referensen på skivetiketten."
)
# A transfer reference without its dash: T, the id (no leading zero), stamp and check.
_REFERENCE_RE = re.compile(f"T([1-9][0-9]*)([{ALPHABET}]{{{STAMP_LENGTH + 1}}})")


def _transfer_check(transfer_id: int, stamp: str) -> str:
    # The id counts with weight 1 (a wrong or swapped digit changes it by no multiple of 31
    # below 10**15), the stamp's characters with 2..5, the check with -1: as a case code's.
    weights = WEIGHTS[1:BODY_LENGTH]
    total = transfer_id + sum(w * VALUE[ch] for w, ch in zip(weights, stamp, strict=True))
    return ALPHABET[total % BASE]


def make_transfer_reference(transfer_id: int, stamp: str) -> str:
    """The reference printed on a transfer's label (``T42-K7Q3U``), for a transfer with no case."""
    require_positive(transfer_id, MSG_BAD_TRANSFER)
    stamp = checked_stamp(stamp, MSG_BAD_TRANSFER)
    return f"T{transfer_id}-{stamp}{_transfer_check(transfer_id, stamp)}"


def make_transfer_payload(transfer_id: int, stamp: str, version: int) -> str:
    """The QR payload of a transfer's label."""
    require_positive(version, MSG_BAD_VERSION)
    reference = make_transfer_reference(transfer_id, stamp)
    return limit_payload(f"{PAYLOAD_PREFIX}:{reference}:{TRANSFER_DOC}:{version}")


def transfer_scan(reference: str, version: int | None) -> ScanResult | None:
    """The transfer a reference names; None when the text has no reference's form."""
    match = _REFERENCE_RE.fullmatch(compact_code(reference))
    if match is None:
        return None
    transfer_id, tail = int(match.group(1)), match.group(2)
    if _transfer_check(transfer_id, tail[:-1]) != tail[-1]:
        raise CodeError(MSG_TRANSFER_CHECK)
    return ScanResult(
        kind="transfer",
        case_code=None,
        incident_id=None,
        doc=TRANSFER_DOC,
        version=version,
        transfer_id=transfer_id,
        transfer_stamp=tail[:-1],
    )
