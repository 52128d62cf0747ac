"""The ward referral form's QR payload, ``RR1:W<site stamp>:AVR:<version>``.

The form is no case's sheet: the site publishes it on its intranet, and wards print it, fill
it in and fax it, any number of times. Its payload names the site instead of a case, by a stamp
of the site's code (``site_form_stamp``): a site code may be 32 characters of any kind, while
the stamp is five characters of the code alphabet, so the payload is always short enough and
parses as the others do. ``W`` and five characters are never a case code (six, in one piece)
nor a transfer's reference (``T``), and the document kind ``AVR`` is no case document's.
"""

from __future__ import annotations

import hashlib
import re

from .code_alphabet import (
    ALPHABET,
    BASE,
    MSG_BAD_VERSION,
    PAYLOAD_PREFIX,
    CodeError,
    ScanResult,
    limit_payload,
    parse_positive,
    require_positive,
)

WARD_REFERRAL_DOC = "AVR"
# The form's layout: a new one that reads differently gets the next number.
WARD_REFERRAL_VERSION = 1
SITE_STAMP_LENGTH = 5
MSG_BAD_WARD_REFERRAL = "QR-koden liknar en avdelningsremiss men är skadad. Skanna igen."
_TARGET_RE = re.compile(f"W([{ALPHABET}]{{{SITE_STAMP_LENGTH}}})")


def site_form_stamp(site_code: str) -> str:
    """Five characters of the code alphabet for a site code (as written, case aside).

    31**5 stamps: two sites of one region share one about once in 28 million pairs.
    """
    digest = hashlib.sha256(site_code.strip().upper().encode("utf-8")).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(SITE_STAMP_LENGTH):
        number, rest = divmod(number, BASE)
        chars.append(ALPHABET[rest])
    return "".join(chars)


def make_ward_referral_payload(site_code: str, version: int = WARD_REFERRAL_VERSION) -> str:
    """The QR payload printed on the site's ward referral form."""
    return ward_referral_payload(site_form_stamp(site_code), version)


def ward_referral_payload(stamp: str, version: int) -> str:
    """The payload of the form of the site whose stamp it is (a scan's, spelled as printed)."""
    require_positive(version, MSG_BAD_VERSION)
    return limit_payload(f"{PAYLOAD_PREFIX}:W{stamp}:{WARD_REFERRAL_DOC}:{version}")


def ward_referral_scan(target: str, number: str) -> ScanResult:
    """The ward referral form a payload's target and number name; raises CodeError."""
    match = _TARGET_RE.fullmatch(target)
    if match is None:
        raise CodeError(MSG_BAD_WARD_REFERRAL)
    return ScanResult(
        kind="ward_referral",
        case_code=None,
        incident_id=None,
        doc=WARD_REFERRAL_DOC,
        version=parse_positive(number, MSG_BAD_VERSION),
        site_stamp=match.group(1),
    )
