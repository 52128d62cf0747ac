"""A record of every printed document, so a second print of the same version says KOPIA."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class PrintRecord(db.Model):  # type: ignore[name-defined]
    """Who printed which document of which case, in which version, when."""

    __table_args__ = (Index("ix_print_record_doc", "case_id", "doc", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"))
    doc: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column()
    # The version of what the sheet shows, which the KOPIA rule compares. It differs from the
    # version its QR carries on the red-tray cover, whose QR keeps the case's version for the
    # scan station's identity check; on the report for a release's recipient it is a digest,
    # since that prints typed text. NULL on prints made before it was recorded (or counted
    # otherwise since): those are compared by their version.
    content_version: Mapped[int | None] = mapped_column()
    is_reprint: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
