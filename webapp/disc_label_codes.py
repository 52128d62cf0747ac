"""The QR payload of a disc label (``RR1:K7M2Q2:ETKU12:3``): the case's code and version, and
after ``ETK`` the release (``U``) or transfer (``T``) the disc is of, with its id
(``codes.make_disc_label_payload`` makes it). The line under the QR reads ``K7M-2Q2 U12``.

A case may have several discs: one to the patient and one to another hospital, or a release's
and a transfer's. Were their labels' payloads the same, the scan station would take the second
disc for the first scanned again and tell the secretary it was already keyed. The record goes
in the document part because the version part is the case's (a scan compares it for an
identity correction). Labels printed before they named their record (``ETK`` alone) still parse,
with no record. 21 fixed characters with a five-digit id leave eleven digits for the version.
"""

from __future__ import annotations

import re

from .code_alphabet import CodeError, require_positive

DISC_LABEL_DOC = "ETK"
# Letters only, which every keyboard layout a scanner may be set to types as itself.
RECORD_MARKERS = {"release": "U", "transfer": "T"}
_RECORD_OF_MARKER = {marker: record for record, marker in RECORD_MARKERS.items()}
MSG_BAD_RECORD = (
    "Skivetikettens QR-kod anger inget utlämnande eller ingen överföring som går att läsa. "
    "Skanna etiketten igen."
)
_LABEL_DOC_RE = re.compile(f"{DISC_LABEL_DOC}(?:([A-Z])(.*))?", re.DOTALL)


def disc_label_reference(record: str, record_id: int) -> str:
    """The record's part of the label's QR and of the line under it, e.g. ``U12``."""
    if record not in RECORD_MARKERS:
        raise CodeError(MSG_BAD_RECORD)
    require_positive(record_id, MSG_BAD_RECORD)
    return f"{RECORD_MARKERS[record]}{record_id}"


def disc_label_record(doc: str) -> tuple[str | None, int | None] | None:
    """(record, id) a scanned document part names: (None, None) for a plain ``ETK`` label; None
    when the part is no disc label's."""
    match = _LABEL_DOC_RE.fullmatch(doc)
    if match is None:
        return None
    marker, number = match.groups()
    if marker is None:
        return None, None
    record = _RECORD_OF_MARKER.get(marker)
    # No leading zero: a payload is machine-made, so one spelling per record.
    if record is None or not re.fullmatch("[1-9][0-9]*", number):
        raise CodeError(MSG_BAD_RECORD)
    return record, int(number)
