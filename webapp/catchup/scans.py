"""The scan station's log: every scan is a read, a refused one included."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Select, select

from ..audit import read_event_row
from ..extensions import db
from ..models import Case, ScanEvent, User, utcnow
from ..storage import append_rows, insert_row, lock_before_reading, write_transaction

# What a scan row's detail keeps of the scanned text: a QR payload is at most 32 characters,
# but a wrong scan (another barcode, a scanner left in the wrong mode) can be any text.
SCANNED_MAX = 200
_LOGGED_PUNCTUATION = frozenset(" :;-–+_./#")


class EarlierScan(NamedTuple):
    """An earlier scan as the page names it, read before the transaction ends."""

    at: datetime
    who: str
    case_id: int | None
    payload: str


class SeenBefore(NamedTuple):
    """What a scan is told of the sheet's earlier scans, read in the step that logs it."""

    # The first scan of this very payload (this version of the sheet), if any.
    earlier: EarlierScan | None
    # The first scan of another version of the same sheet, if any.
    other_version: EarlierScan | None


_EARLIER = select(ScanEvent.at, User.display_name, ScanEvent.case_id, ScanEvent.payload).join(
    User, User.id == ScanEvent.user_id
)


def _first(query: Select[datetime, str, int | None, str]) -> EarlierScan | None:
    row = db.session.execute(query.order_by(ScanEvent.id).limit(1)).first()
    return EarlierScan(*row) if row else None


def record_scan(*, user: User, payload: str, case: Case, doc: str) -> SeenBefore:
    """Log a scan of a case's sheet; return the earlier scans of the same sheet, if any.

    The look-ups and the rows are one write transaction, the case's row locked first: of two
    scans of one sheet at the same moment, the second waits and is told of the first (two
    steps would let each miss the other, and both secretaries key the sheet into RIS).
    """
    with write_transaction() as session:
        lock_before_reading(session, Case.__table__, case.id)
        # Asked before this scan is written, which would otherwise be the other version's first.
        other_version = _other_version_scan(case=case, doc=doc, payload=payload)
        # The first scan is the first row, not the earliest time: a laptop clock set back would
        # make a later scan look first.
        earlier = _first(_EARLIER.where(ScanEvent.payload == payload[:64]))
        insert_row(
            session,
            ScanEvent.__table__,
            {
                "case_id": case.id,
                "incident_id": case.incident_id,
                "payload": payload[:64],
                "doc": doc,
                "user_id": user.id,
                "at": utcnow(),
            },
        )
        insert_row(
            session,
            *read_event_row(
                "scan", user=user, case=case, incident_id=case.incident_id, detail=payload[:64]
            ),
        )
    return SeenBefore(earlier, other_version)


def _other_version_scan(*, case: Case, doc: str, payload: str) -> EarlierScan | None:
    """The first scan of another version of the same sheet of the case, before this one is
    logged; None for a typed code (it names no sheet) or a sheet never scanned before.

    A newer version (after a correction, say) is the same sheet to the secretary, who may have
    keyed the older one into RIS already: the exact-payload check cannot see it.
    """
    if not doc:
        return None
    # The same sheet is the same code and kind: two blanks of one kind joined to the case (a
    # second report blank read for an addendum) are two sheets, each to be keyed.
    sheet = payload[:64].rsplit(":", 1)[0] + ":"
    return _first(
        _EARLIER.where(
            ScanEvent.case_id == case.id,
            ScanEvent.doc == doc,
            ScanEvent.payload.startswith(sheet, autoescape=True),
            ScanEvent.payload != payload[:64],
        )
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
