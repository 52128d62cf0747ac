"""The referrer told that a cancelled case's exam will not be done (cancellation notice)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .case import Case
from .user import User

# faxed: the notice sheet went to the referrer's fax. not_needed: nobody waits for this
# referral's reply (a double of a case that goes ahead), with the why in the note. called: the
# cancellation was undone after a faxed notice, and the referrer was phoned that the exam will
# be done after all (cases/restore_call.py); it answers every faxed notice logged before it.
# A call is a notice too, not a table of its own: which fax it answers is which came first,
# and one id sequence orders them.
NOTICE_KINDS = ("faxed", "not_needed", "called")


class CancelNotice(db.Model):  # type: ignore[name-defined]
    """What the referrer was told of a cancellation, as ReportDispatch is for a report.

    Append-only, and kept when the cancellation is undone: the referrer who was told the exam
    would not be done must then be called. cancelled_at names the cancellation it answered, so
    a case cancelled again after an undo needs a notice of its own.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    cancelled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The message the sheet carried: the cancel's message to the referrer, or its reason.
    message: Mapped[str] = mapped_column(Text, default="")
    fax_number: Mapped[str] = mapped_column(String(40), default="")
    faxed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A call ("called"): whom the caller spoke to, the number phoned, and when.
    called_person: Mapped[str] = mapped_column(Text, default="", server_default="")
    phone_number: Mapped[str] = mapped_column(String(40), default="", server_default="")
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The case's identity_revision then: the patient the faxed sheet named.
    identity_revision: Mapped[int] = mapped_column(default=0, server_default="0")

    # Oldest first, as the case page lists them; loaded with the case there (cases/queries.py).
    case: Mapped[Case] = relationship(
        backref=db.backref("cancel_notices", order_by="CancelNotice.id", viewonly=True)
    )
    user: Mapped[User] = relationship()
