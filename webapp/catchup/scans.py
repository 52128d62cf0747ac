"""The scan station's log of scanned sheets."""

from __future__ import annotations

from sqlalchemy import select

from ..audit import read_event_row
from ..extensions import db
from ..models import Case, ScanEvent, User, utcnow
from ..storage import append_rows


def record_scan(
    *, user: User, payload: str, case: Case | None, incident_id: int | None, doc: str
) -> ScanEvent | None:
    """Log a scan; return the earlier scan of the same sheet, if there was one."""
    earlier = db.session.scalar(
        select(ScanEvent).where(ScanEvent.payload == payload[:64]).order_by(ScanEvent.at).limit(1)
    )
    earlier_info = (earlier.at, earlier.user.display_name) if earlier else None
    # Append-only rows: stored with the group commit that the audit of reads uses.
    append_rows(
        [
            (
                ScanEvent.__table__,
                {
                    "case_id": case.id if case else None,
                    "incident_id": incident_id,
                    "payload": payload[:64],
                    "doc": doc,
                    "user_id": user.id,
                    "at": utcnow(),
                },
            ),
            read_event_row(
                "scan", user=user, case=case, incident_id=incident_id, detail=payload[:64]
            ),
        ]
    )
    return earlier if earlier_info else None
