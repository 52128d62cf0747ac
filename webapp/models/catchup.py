"""Catch-up (efterregistrering): RIS identifiers, ticked steps, scans and export batches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .case import Case
from .user import User

# The order RIS asks for them; "verified" is the four-eyes check where the site wants it.
CATCHUP_STEPS = ("booked", "exam_completed", "images_matched", "report_keyed", "correction_list")


class CatchupRecord(db.Model):  # type: ignore[name-defined]
    """One case's way into RIS: its RIS identifiers, verification and any waiver."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    ris_accession: Mapped[str] = mapped_column(String(64), default="", index=True)
    ris_exam_number: Mapped[str] = mapped_column(String(64), default="")
    keyed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    keyed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    waived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waived_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    waive_reason: Mapped[str] = mapped_column(Text, default="")
    # With four eyes a waiver stands only once a second user confirms it; until then the case
    # is not reconciled. Empty for a waiver that stood at once (four eyes off).
    waiver_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waiver_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reconciled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(backref=db.backref("catchup", uselist=False))
    keyed_by: Mapped[User | None] = relationship(foreign_keys=[keyed_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    waived_by: Mapped[User | None] = relationship(foreign_keys=[waived_by_id])
    waiver_confirmed_by: Mapped[User | None] = relationship(foreign_keys=[waiver_confirmed_by_id])

    @property
    def waiver_pending(self) -> bool:
        """Waived, and the waiver waits for a second user's confirmation (four eyes)."""
        return self.waived_at is not None and self.reconciled_at is None


class CatchupTick(db.Model):  # type: ignore[name-defined]
    """A ticked (or unticked) catch-up step, with user and time; the latest one counts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    step: Mapped[str] = mapped_column(String(30))
    is_done: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class ScanEvent(db.Model):  # type: ignore[name-defined]
    """A sheet scanned at the scan station (a second scan of the same sheet says so)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"))
    # Indexed: every scan asks whether its sheet was scanned before, and an outage's log holds
    # tens of thousands of scans (each read in full without it).
    payload: Mapped[str] = mapped_column(String(64), index=True)
    doc: Mapped[str] = mapped_column(String(10), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class ExportBatch(db.Model):  # type: ignore[name-defined]
    """One export of an incident's reconciliation batch; the final one is made at close."""

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    format: Mapped[str] = mapped_column(String(10))
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    case_count: Mapped[int] = mapped_column(default=0)
    is_final: Mapped[bool] = mapped_column(default=False)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    filename: Mapped[str] = mapped_column(String(200), default="")
    # The cases the file held, so a file lost on the way (a dropped download) can be made again
    # for the same cases; None for exports made before the list was kept.
    # none_as_null: an unknown list is SQL NULL, as the migration leaves earlier rows.
    case_ids: Mapped[list[int] | None] = mapped_column(JSON(none_as_null=True))
    # A digest of every case of the incident as this export read it (case id as text: JSON
    # keys), whether it was in the file or unchanged since an earlier one: the next 'changed
    # only' export of the format sends the cases whose digest differs. Compared by content, not
    # by time, no change is lost to a clock set back. None for exports made before they were
    # kept. Deferred: thousands of cases' worth that only the next export reads.
    case_digests: Mapped[dict[str, str] | None] = mapped_column(
        JSON(none_as_null=True), deferred=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # When its cases were read, not when the row was written (export_batch sets it); what the
    # next 'changed only' export follows is case_digests, this is what the page says.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RisPacsCleanUp(db.Model):  # type: ignore[name-defined]
    """A cancelled case's order in RIS or images in PACS recorded as cleaned up there.

    Of one cancellation (cancelled_at, as a CancelNotice): undone, the record no longer
    counts, and a case cancelled again after it is cleaned up anew (keyed again meanwhile, it
    may well have a new order in RIS).
    """

    __table_args__ = (db.UniqueConstraint("case_id", "cancelled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    cancelled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
