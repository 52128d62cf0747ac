"""Incidents (driftstopp) and the log of what was done about them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..codes import STAMP_LENGTH, generate_incident_stamp
from ..extensions import db
from .base import UTCDateTime, utcnow
from .site import Site
from .user import User

# Long enough for any system's numbering with its prefix ("AV-2026-1234", "SYN-000123456").
DEVIATION_LENGTH = 40


class Incident(db.Model):  # type: ignore[name-defined]
    """One outage, or one drill, during which cases are captured on paper's behalf."""

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    scenario: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    is_drill: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The stamp in the incident list's QR. Every laptop numbers its incidents from 1, and two
    # may share the site code and even the start: drawn at random, the stamp tells their
    # lists apart. Incidents declared before it was stored have the one hashed from those.
    list_stamp: Mapped[str] = mapped_column(String(STAMP_LENGTH), default=generate_incident_stamp)
    # The number of the deviation report (avvikelse) the department filed about the outage in
    # its own system, for the follow-up; "" until someone records it (followup/deviation.py).
    deviation_number: Mapped[str] = mapped_column(String(DEVIATION_LENGTH), default="")

    site: Mapped[Site] = relationship()
    declared_by: Mapped[User] = relationship(foreign_keys=[declared_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class IncidentLogEntry(db.Model):  # type: ignore[name-defined]
    """A ticked checklist step or a notification made, with who and when."""

    # The step_key of the entry that records a change of the incident's scenario.
    SCENARIO_CHANGE = "scenario"
    # The step_key of the entry that records the systems working again (is_done False: undone).
    SYSTEMS_RESTORED = "restored"
    # The step_key of the entry that records the deviation report's number set or changed.
    DEVIATION = "deviation"
    # The step_key of the entry that records a start given at the declaration (stamped then).
    DECLARED_LATE = "declared"
    # The step_key of the entries that record a case moved in or out (cases/moving.py).
    CASE_MOVE = "case_move"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    step_key: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(300))
    is_done: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
