"""Idempotent submits and server-side drafts of forms in progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .user import User


class Submission(db.Model):  # type: ignore[name-defined]
    """The first result of a form instance's submit, replayed for retries."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload_hash: Mapped[str] = mapped_column(String(64))
    result_url: Mapped[str] = mapped_column(String(300))
    # What the result's page names that no other row holds by the key: a backup's file.
    result_name: Mapped[str] = mapped_column(String(300), default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Draft(db.Model):  # type: ignore[name-defined]
    """A form in progress, saved every few seconds so a dead tablet loses nothing."""

    id: Mapped[int] = mapped_column(primary_key=True)
    form_key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    label: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    client_seq: Mapped[int] = mapped_column(default=0)
    is_done: Mapped[bool] = mapped_column(default=False)
    # Text typed offline on a shared tablet and sent once another person had logged in: who
    # sent it (the login the laptop knows), and the login the tablet says it was typed under
    # (None when the laptop cannot tell). Both None for text saved under its own login.
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    typed_under_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Such text typed on further under another login than it was begun under (the next person
    # on the tablet, or one who opened it from the list): so it stays named as begun under
    # the first login, not as the later one's own. None while no one else has typed in it.
    continued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The copy of the form (a tablet's page) that saved the stored text last: a save from
    # another copy that built on an earlier count did not see this text, and must not replace it.
    writer: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    delivered_by: Mapped[User | None] = relationship(foreign_keys=[delivered_by_id])
    typed_under: Mapped[User | None] = relationship(foreign_keys=[typed_under_id])
    continued_by: Mapped[User | None] = relationship(foreign_keys=[continued_by_id])
