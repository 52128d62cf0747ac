"""What the scan station says of a scanned disc label: which release or transfer it is of."""

from __future__ import annotations

from ..codes import ScanResult
from ..disc_label_codes import DISC_LABEL_DOC, disc_label_reference
from ..extensions import db
from ..i18n import gettext as _
from ..models import MAX_ROW_ID, Case, ImageRelease, ImageTransfer
from ..release_terms import RECIPIENT_LABELS


def disc_record_notice(case: Case, result: ScanResult) -> tuple[str, str] | None:
    """(message, flash category) naming the disc's release or transfer; None for no label."""
    if result.disc_record is None or result.disc_record_id is None:
        if result.doc == DISC_LABEL_DOC:
            # Printed before labels named their record: each disc of the case had this code.
            return (
                _(
                    "Skivetiketten är utskriven innan etiketterna angav sitt utlämnande eller "
                    "sin överföring: kontrollera på etiketten vilken skiva den gäller."
                ),
                "info",
            )
        return None
    reference = disc_label_reference(result.disc_record, result.disc_record_id)
    # A typed line's id may be any length: beyond a row id it is no record, and the database
    # would refuse to look for it (a 500).
    if result.disc_record_id > MAX_ROW_ID:
        pass
    elif result.disc_record == "release":
        release = db.session.get(ImageRelease, result.disc_record_id)
        if release is not None and release.case_id == case.id:
            kind = RECIPIENT_LABELS.get(release.recipient_kind, release.recipient_kind)
            recipient = f"{kind}: {release.recipient_name}" if release.recipient_name else kind
            message = _(
                "Skivetiketten %(reference)s gäller utlämnandet till %(recipient)s.",
                reference=reference,
                recipient=recipient,
            )
            return message, "info"
    else:
        transfer = db.session.get(ImageTransfer, result.disc_record_id)
        if transfer is not None and transfer.case_id == case.id:
            message = _(
                "Skivetiketten %(reference)s gäller överföringen till %(recipient)s.",
                reference=reference,
                recipient=transfer.counterpart_name,
            )
            return message, "info"
    # Another laptop's or an earlier database's record: the case is this one, the disc unknown.
    message = _(
        "Skivetiketten anger %(reference)s, som inte hör till ärendet här. Kontrollera "
        "etiketten och vilken skiva den gäller.",
        reference=reference,
    )
    return message, "error"
