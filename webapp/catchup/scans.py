"""The scan station's log: every scan is a read, a refused one included."""

from __future__ import annotations

from sqlalchemy import select

from ..audit import read_event_row
from ..extensions import db
from ..models import Case, ScanEvent, User, utcnow
from ..storage import append_rows

# What a scan row's detail keeps of the scanned text: a QR payload is at most 32 characters,
# but a wrong scan (another barcode, a scanner left in the wrong mode) can be any text.
SCANNED_MAX = 200
_LOGGED_PUNCTUATION = frozenset(" :;-–+_./#")


def record_scan(
    *, user: User, payload: str, case: Case | None, incident_id: int | None, doc: str
) -> ScanEvent | None:
    """Log a scan of a case's sheet; return the earlier scan of the same sheet, if any."""
    # The first scan is the first row, not the earliest time: a laptop clock set back would
    # make a later scan look first.
    earlier = db.session.scalar(
        select(ScanEvent).where(ScanEvent.payload == payload[:64]).order_by(ScanEvent.id).limit(1)
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


def other_version_scan(*, case: Case, doc: str, payload: str) -> ScanEvent | None:
    """The first scan of another version of the same sheet of the case, before this one is
    logged; None for a typed code (it names no sheet) or a sheet never scanned before.

    A newer version (after a correction, say) is the same sheet to the secretary, who may have
    keyed the older one into RIS already: the exact-payload check above cannot see it.
    """
    if not doc:
        return None
    # The same sheet is the same code and kind: two blanks of one kind joined to the case (a
    # second report blank read for an addendum) are two sheets, each to be keyed.
    sheet = payload[:64].rsplit(":", 1)[0] + ":"
    return db.session.scalar(
        select(ScanEvent)
        .where(
            ScanEvent.case_id == case.id,
            ScanEvent.doc == doc,
            ScanEvent.payload.startswith(sheet, autoescape=True),
            ScanEvent.payload != payload[:64],
        )
        .order_by(ScanEvent.id)
        .limit(1)
    )


def log_scan(
    *,
    user: User,
    payload: str,
    incident_id: int | None = None,
    case: Case | None = None,
    patient_ref: str = "",
) -> None:
    """Log a scan that opens no case's page: an incident's list, a binder blank not yet used, or
    a transfer's label (its case or typed patient named, so the read is in their extract)."""
    # Not a ScanEvent: those tell a sheet scanned twice, and these sheets open no case's page.
    row = read_event_row(
        "scan",
        user=user,
        case=case,
        incident_id=incident_id,
        detail=payload,
        patient_ref=patient_ref,
    )
    append_rows([row])


def _as_logged(scanned: str) -> str:
    # Codes and payloads hold letters, digits and a few separators; anything else (markup from
    # a wrong barcode, control characters) is kept as "?" so the log and its CSV never carry it.
    return "".join(
        ch if ch.isalnum() or ch in _LOGGED_PUNCTUATION else "?"
        for ch in scanned.strip()[:SCANNED_MAX]
    )


def log_refused_scan(*, user: User, scanned: str, reason: str) -> None:
    """Log a scan the station refused, with the text as scanned and the reason (in Swedish).

    No case or patient is named: a refused scan shows none, and a sheet of another site must
    not put that site's patient in this site's log.
    """
    detail = f"{_as_logged(scanned)} – {reason}"
    append_rows([read_event_row("scan_refused", user=user, detail=detail)])
