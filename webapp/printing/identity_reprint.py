"""The red-tray sheets of a case last printed before its patient's identity was corrected."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..models import Case, PrintRecord, RecordVersion
from .versions import IDENTITY_FIELDS

# What lies in the red tray, in its order (documents.available_documents). The anonymised
# sheets name no patient; the cancellation notice goes by fax.
RED_TRAY_KINDS = ("cover", "referral", "exam", "report")


def printed_before_correction(case: Case) -> list[str]:
    """The red-tray kinds whose latest print names the patient as before a correction.

    Worked from until the catch-up scans it, such a sheet gives another patient (or none) than
    the case has now: the case page asks for it to be printed again.
    """
    # Raised by every identity correction: a case never corrected is spared the queries.
    if not case.identity_revision:
        return []
    corrections = [
        row
        for row in db.session.execute(
            select(RecordVersion.version, RecordVersion.changed_at, RecordVersion.changes).where(
                RecordVersion.entity == "case", RecordVersion.entity_id == case.id
            )
        )
        if IDENTITY_FIELDS & set(row.changes or ())
    ]
    if not corrections:
        return []
    last_id = (
        select(func.max(PrintRecord.id))
        .where(PrintRecord.case_id == case.id, PrintRecord.doc.in_(RED_TRAY_KINDS))
        .group_by(PrintRecord.doc)
    )
    stale = set()
    for doc, version, at in db.session.execute(
        select(PrintRecord.doc, PrintRecord.version, PrintRecord.at).where(
            PrintRecord.id.in_(last_id)
        )
    ):
        if doc == "cover":
            # Its version is the case's, which each correction's snapshot names (as the scan
            # station compares it): no clock set back can hide a correction.
            if any(row.version >= version for row in corrections):
                stale.add(doc)
        elif any(at < row.changed_at for row in corrections):
            # The other sheets' versions are their own: compared by time, as the scan station
            # does.
            stale.add(doc)
    return [kind for kind in RED_TRAY_KINDS if kind in stale]
