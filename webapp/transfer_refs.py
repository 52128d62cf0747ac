"""The reference on a transfer's DVD label when the transfer has no case (``T42-K7Q3U``).

Derived, never stored: the stamp is a hash of the transfer's site code, id and creation time to
the microsecond, as an incident list's stamp was before stamps were stored. Every downtime
laptop numbers its transfers from 1, so the id alone would open this laptop's transfer for
another laptop's disc; the stamp tells them apart (the same by chance about once in a million).
"""

from __future__ import annotations

import hashlib
from datetime import UTC

from sqlalchemy import select

from .codes import ALPHABET, STAMP_LENGTH, make_transfer_payload, make_transfer_reference
from .extensions import db
from .models import MAX_ROW_ID, ImageTransfer, Site

# The label's QR version: a transfer's typed patient is never edited, so the label has one.
TRANSFER_LABEL_VERSION = 1


def transfer_stamp(transfer: ImageTransfer, site_code: str) -> str:
    """The transfer's stamp: STAMP_LENGTH characters of the code alphabet."""
    created = transfer.created_at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
    digest = hashlib.sha256(f"{site_code}:{transfer.id}:{created}".encode()).digest()
    value = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(STAMP_LENGTH):
        value, index = divmod(value, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def _site_code(transfer: ImageTransfer) -> str:
    return db.session.scalar(select(Site.code).where(Site.id == transfer.site_id)) or ""


def transfer_reference(transfer: ImageTransfer) -> str:
    """The reference printed for the transfer, e.g. ``T42-K7Q3U``."""
    return make_transfer_reference(transfer.id, transfer_stamp(transfer, _site_code(transfer)))


def transfer_payload(transfer: ImageTransfer) -> str:
    """The QR payload of the transfer's label."""
    stamp = transfer_stamp(transfer, _site_code(transfer))
    return make_transfer_payload(transfer.id, stamp, TRANSFER_LABEL_VERSION)


def transfer_of_reference(transfer_id: int, stamp: str) -> ImageTransfer | None:
    """The transfer of this laptop that a scanned reference names, of whichever site."""
    # A typed reference's id may be any length: beyond a row id it is no transfer, and the
    # database would refuse to look for it.
    if transfer_id > MAX_ROW_ID:
        return None
    transfer = db.session.get(ImageTransfer, transfer_id)
    if transfer is None or transfer_stamp(transfer, _site_code(transfer)) != stamp:
        return None
    return transfer
