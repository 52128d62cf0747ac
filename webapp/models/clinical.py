"""The referral and the exam documentation of a case."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .case import Case
from .user import User

# Safety answers: "unknown" is an answer, blank is not (for the facts the exam needs).
ANSWERS = ("yes", "no", "unknown")
ARRIVAL_CHANNELS = ("fax", "paper", "phone", "app")
PACS_STATES = ("yes", "no", "failed")
# How the patient moves to and from the lab (förflyttning): what the porters bring.
MOBILITIES = ("walks", "wheelchair", "bed", "stretcher")


class Referral(db.Model):  # type: ignore[name-defined]
    """The remiss: who asks for what and why, and what is safe to do."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    referrer_unit: Mapped[str] = mapped_column(String(200))
    referrer_clinician: Mapped[str] = mapped_column(String(200), default="")
    referrer_phone: Mapped[str] = mapped_column(String(40), default="")
    reply_fax: Mapped[str] = mapped_column(String(40))
    exam_code: Mapped[str] = mapped_column(String(40), default="")
    exam_text: Mapped[str] = mapped_column(String(300))
    # right, left, both; "" not given (an unsided exam, or a referral from before sides).
    side: Mapped[str] = mapped_column(String(10), default="", server_default="")
    contrast_planned: Mapped[bool] = mapped_column(default=False)
    clinical_question: Mapped[str] = mapped_column(Text)
    history: Mapped[str] = mapped_column(Text, default="")
    contrast_allergy: Mapped[str] = mapped_column(String(10), default="")
    egfr: Mapped[float | None] = mapped_column(Float)
    creatinine: Mapped[float | None] = mapped_column(Float)
    # The lab's bound on the value beside it: ">" for ">90" (at least), "<" for "<15"; "" exact.
    egfr_bound: Mapped[str] = mapped_column(String(1), default="", server_default="")
    creatinine_bound: Mapped[str] = mapped_column(String(1), default="", server_default="")
    kidney_measured_on: Mapped[date | None] = mapped_column(Date)
    kidney_unknown: Mapped[bool] = mapped_column(default=False)
    metformin: Mapped[str] = mapped_column(String(10), default="")
    pregnancy: Mapped[str] = mapped_column(String(10), default="")
    pacemaker: Mapped[str] = mapped_column(String(10), default="")
    implants: Mapped[str] = mapped_column(String(10), default="")
    implants_note: Mapped[str] = mapped_column(String(300), default="")
    # Infection or isolation (smitta), an answer like the safety facts; the note names it.
    infection: Mapped[str] = mapped_column(String(10), default="")
    infection_note: Mapped[str] = mapped_column(String(120), default="")
    mobility: Mapped[str] = mapped_column(String(12), default="")
    arrived_via: Mapped[str] = mapped_column(String(10))
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(backref=db.backref("referral", uselist=False))
    received_by: Mapped[User] = relationship()


class ExamRecord(db.Model):  # type: ignore[name-defined]
    """The dokumentationsblankett: what was done on the modality when booked by hand."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    modality: Mapped[str] = mapped_column(String(30))
    room: Mapped[str] = mapped_column(String(60), default="")
    exam_code: Mapped[str] = mapped_column(String(40), default="")
    exam_text: Mapped[str] = mapped_column(String(300))
    side: Mapped[str] = mapped_column(String(10), default="", server_default="")
    # The side performed differs from the referral's, and the radiographer confirmed it.
    side_confirmed: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    radiographers: Mapped[str] = mapped_column(String(300))
    modality_temp_id: Mapped[str] = mapped_column(String(64))
    contrast_agent: Mapped[str] = mapped_column(String(120), default="")
    contrast_volume_ml: Mapped[float | None] = mapped_column(Float)
    contrast_route: Mapped[str] = mapped_column(String(20), default="")
    # The batch (lot) number on the contrast's package, to trace a recalled batch to its
    # patients; or that it was not known, recorded rather than left blank.
    contrast_batch: Mapped[str] = mapped_column(String(40), default="", server_default="")
    contrast_batch_unknown: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    patient_weight_kg: Mapped[float | None] = mapped_column(Float)
    dlp_mgycm: Mapped[float | None] = mapped_column(Float)
    ctdivol_mgy: Mapped[float | None] = mapped_column(Float)
    # A DLP below the CTDIvol (a scan under 1 cm) saved as typed, confirmed by the radiographer.
    short_scan_confirmed: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    dap_gycm2: Mapped[float | None] = mapped_column(Float)
    fluoro_seconds: Mapped[float | None] = mapped_column(Float)
    series_count: Mapped[int | None] = mapped_column()
    image_count: Mapped[int | None] = mapped_column()
    pacs_status: Mapped[str] = mapped_column(String(10))
    pacs_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    complications: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    documented_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(backref=db.backref("exam", uselist=False))
    documented_by: Mapped[User] = relationship()
