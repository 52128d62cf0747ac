"""The other fallback routines: external reviewer exchanges, image transfers, image releases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .case import Case
from .user import User

REVIEWER_ENTRY_KINDS = (
    "fax_sent",
    "image_route",
    "report_received",
    "forwarded",
    "verbal_answer",
    "admin_done",
    # An answer recorded on the wrong case, undone (reviewer_undo_services).
    "received_undone",
    "forwarded_undone",
    "receipt_undone",
    # Undone after the RIS administrator had entered it in RIS: the wrong case holds it there
    # until the administrator records it removed (reviewer_removal_services). One task per
    # answer: a due line refers to the undone answer's line, a removal to its due line
    # (RemovalTask). Lines from before the link refer to none: such a removal clears every due
    # line before it.
    "ris_removal_due",
    "ris_removed",
    # The reviewer told that the case is cancelled (reviewer_cancel_rule).
    "cancel_told",
    # Then told that the cancellation is undone: the exam is back on (reviewer_restore_rule).
    "back_on_told",
)
TRANSFER_DIRECTIONS = ("send", "receive")
TRANSFER_ROUTES = ("direct", "via_region", "dvd")
TRANSFER_STATUSES = ("open", "done", "abandoned")
ATTEMPT_OUTCOMES = ("ok", "failed", "pending")
RELEASE_STATUSES = ("sent", "awaiting_pickup", "handed_over")


class ReviewerExchange(db.Model):  # type: ignore[name-defined]
    """One urgent case sent to the external reviewer by fax while the link is down."""

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    report_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    queued_for_admin_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    admin_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    admin_done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    admin_note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship()
    admin_done_by: Mapped[User | None] = relationship(foreign_keys=[admin_done_by_id])
    entries: Mapped[list[ReviewerLogEntry]] = relationship(
        order_by="ReviewerLogEntry.at, ReviewerLogEntry.id", back_populates="exchange"
    )

    @property
    def awaits_forwarding(self) -> bool:
        """The latest faxed report has no copy forwarded to the referrer logged after it."""
        received = [e.id for e in self.entries if e.kind == "report_received"]
        forwarded = [e.id for e in self.entries if e.kind == "forwarded"]
        return bool(received) and max(forwarded, default=0) < max(received)

    @property
    def answer_in_ris(self) -> bool:
        """The RIS administrator handled the exchange since the first answer now received came
        (a later answer re-queues it, so admin_done_at alone does not tell)."""
        received = [e.id for e in self.entries if e.kind == "report_received"]
        return bool(received) and any(
            e.kind == "admin_done" and e.id > min(received) for e in self.entries
        )

    @property
    def removal_tasks(self) -> list[RemovalTask]:
        """Each answer entered in RIS and then undone (the wrong case), in the order undone,
        with its answer and the record of its removal from RIS (None: still there)."""
        answers = [e for e in self.entries if e.kind in ("report_received", "received_undone")]
        numbered = {e.id: (n, e) for n, e in enumerate(sorted(answers, key=_id), 1)}
        removals = sorted((e for e in self.entries if e.kind == "ris_removed"), key=_id)
        tasks = []
        for due in sorted((e for e in self.entries if e.kind == "ris_removal_due"), key=_id):
            number, answer = numbered.get(due.refers_to_id or 0, (0, None))
            removed = next(
                (r for r in removals if r.id > due.id and r.refers_to_id in (due.id, None)), None
            )
            tasks.append(RemovalTask(due, number, answer, removed))
        return tasks

    @property
    def awaits_ris_removal(self) -> bool:
        """An answer entered in RIS and then undone (the wrong case) is not yet recorded as
        removed from the case in RIS."""
        return any(t.removed is None for t in self.removal_tasks)


def _id(entry: ReviewerLogEntry) -> int:
    # By id, not time: the laptop's clock may have been set back between two lines.
    return entry.id


@dataclass(frozen=True)
class RemovalTask:
    """An undone answer that sits on the case in RIS: its due line, the answer (its number
    among the exchange's answers, 0 and None for a due line that does not name it) and the
    line recording it removed from RIS (None: not yet)."""

    due: ReviewerLogEntry
    answer_number: int
    answer: ReviewerLogEntry | None
    removed: ReviewerLogEntry | None


class ReviewerLogEntry(db.Model):  # type: ignore[name-defined]
    """A fax sent, an image route tried, a report received or a verbal answer; append-only."""

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column(ForeignKey("reviewer_exchange.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    number: Mapped[str] = mapped_column(String(40), default="")
    person: Mapped[str] = mapped_column(String(200), default="")
    route_key: Mapped[str] = mapped_column(String(40), default="")
    outcome: Mapped[str] = mapped_column(String(10), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A copy forwarded to the referrer: the case's latest report signature when it was logged,
    # the one it covers (as a dispatch's). Times of two tables do not order them once the
    # laptop's clock is set back; the signatures' ids do. None: the report had none yet.
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("report_signature.id"))
    # A copy forwarded: the case's identity_revision when logged (the copy carries the
    # patient's name and number as they were then).
    identity_revision: Mapped[int] = mapped_column(default=0, server_default="0")
    # The line this one answers: a ris_removal_due line's undone answer, a ris_removed line's
    # due line (RemovalTask). None for every other kind, and for lines from before the link.
    refers_to_id: Mapped[int | None] = mapped_column(ForeignKey("reviewer_log_entry.id"))

    exchange: Mapped[ReviewerExchange] = relationship(back_populates="entries")
    user: Mapped[User] = relationship()


class RouteStatus(db.Model):  # type: ignore[name-defined]
    """An admin's note that an image route does not work at the moment."""

    __table_args__ = (UniqueConstraint("site_id", "scope", "route_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    scope: Mapped[str] = mapped_column(String(20))
    route_key: Mapped[str] = mapped_column(String(40))
    is_working: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    updated_by: Mapped[User] = relationship()


class ImageTransfer(db.Model):  # type: ignore[name-defined]
    """A request to send images to, or receive them from, a hospital in another region."""

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    direction: Mapped[str] = mapped_column(String(10))
    counterpart_key: Mapped[str] = mapped_column(String(60))
    counterpart_name: Mapped[str] = mapped_column(String(200))
    exam_text: Mapped[str] = mapped_column(String(300))
    patient_ref: Mapped[str] = mapped_column(String(40), default="")
    # Typed only when no case is linked (a linked case holds the patient's identity): the
    # second identifier beside patient_ref.
    patient_name: Mapped[str] = mapped_column(String(200), default="")
    urgency: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case: Mapped[Case | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    # In the order logged (the last is the latest try): the laptop's clock may have been set
    # back between two.
    attempts: Mapped[list[TransferAttempt]] = relationship(
        order_by="TransferAttempt.id", back_populates="transfer"
    )


class TransferAttempt(db.Model):  # type: ignore[name-defined]
    """One try: direct link, via a neighbouring region, or a DVD with the patient."""

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("image_transfer.id"), index=True)
    route: Mapped[str] = mapped_column(String(20))
    via_region: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    transfer: Mapped[ImageTransfer] = relationship(back_populates="attempts")
    user: Mapped[User] = relationship()


class TransferCheck(db.Model):  # type: ignore[name-defined]
    """A tick (or untick) in a troubleshooting list; the latest per item counts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("image_transfer.id"), index=True)
    list_key: Mapped[str] = mapped_column(String(20))
    # The item's place in its list when ticked. The tick counts for its label's text: the list
    # may be edited meanwhile (checklist_keys).
    item: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(300))
    is_done: Mapped[bool] = mapped_column(default=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    user: Mapped[User] = relationship()


class ImageRelease(db.Model):  # type: ignore[name-defined]
    """Images (and the report when allowed) released on IEP, media or to the regional archive."""

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    recipient_kind: Mapped[str] = mapped_column(String(30))
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(20))
    media_kind: Mapped[str] = mapped_column(String(10), default="")
    delivery: Mapped[str] = mapped_column(String(20), default="")
    is_urgent_care: Mapped[bool] = mapped_column(default=False)
    report_state: Mapped[str] = mapped_column(String(20), default="")
    includes_report: Mapped[bool] = mapped_column(default=False)
    findings_positive: Mapped[str] = mapped_column(String(10), default="")
    doctor_cleared_by: Mapped[str] = mapped_column(String(200), default="")
    billing_recorded: Mapped[bool] = mapped_column(default=False)
    is_billable: Mapped[bool] = mapped_column(default=False, index=True)
    status: Mapped[str] = mapped_column(String(20), default="sent")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handed_over_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    patient_id_checked: Mapped[bool] = mapped_column(default=False)
    proxy_name: Mapped[str] = mapped_column(String(200), default="")
    proxy_id_checked: Mapped[bool] = mapped_column(default=False)
    power_of_attorney: Mapped[bool] = mapped_column(default=False)
    referral_note: Mapped[str] = mapped_column(Text, default="")
    # Made while its outage was open, with RIS down: the note waits to be written in RIS, and is
    # recorded as written there (ReleaseRisNote). With no outage open it goes into RIS at once.
    ris_note_due: Mapped[bool] = mapped_column(default=False, server_default=false())

    case: Mapped[Case] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    handed_over_by: Mapped[User | None] = relationship(foreign_keys=[handed_over_by_id])


class ReleaseRisNote(db.Model):  # type: ignore[name-defined]
    """A release's referral note recorded as written in RIS, or that undone; append-only, the
    latest (by id) counts.

    note: the text recorded as written, "" for an undo. A note that changed since (the media
    handed over) is to be written in RIS again.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("image_release.id"), index=True)
    is_done: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
