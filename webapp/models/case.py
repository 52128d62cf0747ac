"""A case: one patient exam episode during an incident."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, ForeignKey, Index, String, Text, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from .base import UTCDateTime, utcnow
from .incident import Incident
from .user import User

# Order matters: it is the way from referral to RIS, shown on the board in this order.
CASE_STATUSES = (
    "referral_received",
    "exam_done",
    "report_preliminary",
    "report_definitive",
    "keyed_in_ris",
    "closed",
    "cancelled",
)

ID_KINDS = ("personnummer", "samordningsnummer", "reserve")


def patient_name_key(name: str) -> str:
    """A name as compared: case, accents' composition, commas and word order carry no meaning.

    "Andersson, Anna" and "ANNA ANDERSSON" are one name; "Anna Andersson" and "Axel Andersson"
    (twins, born the same day) are two. Its words are joined by one space, so two keys are
    equal exactly when their words are.
    """
    text = unicodedata.normalize("NFC", name).replace(",", " ").casefold()
    return " ".join(sorted(text.split()))


def reserve_number_bare(column: Any) -> ColumnElement[str]:
    """SQL: a stored reserve number as reserve_number_key gives it, to compare keys with."""
    # Stored numbers are already upper case without spaces (normalize_reserve_number); SQLite's
    # upper() is ASCII-only, as that is.
    return func.upper(func.replace(column, "-", ""))


class Case(db.Model):  # type: ignore[name-defined]
    """The unit everything hangs off; identified on paper by its case code."""

    __table_args__ = (
        # The namesake check on each referral: the same name, or the same number, in the
        # incident. A name's key is found in its incident, a number's too (ix_case_patient_id
        # alone would leave the planner free to walk the whole incident instead).
        Index("ix_case_incident_id_patient_name_key", "incident_id", "patient_name_key"),
        Index("ix_case_incident_id_patient_id", "incident_id", "patient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    status: Mapped[str] = mapped_column(String(30), default="referral_received", index=True)
    priority: Mapped[str] = mapped_column(String(30), default="")
    modality: Mapped[str] = mapped_column(String(30), default="", index=True)
    patient_name: Mapped[str] = mapped_column(String(200), default="")
    # patient_name_key(patient_name), kept with the name (validator below, and name_key.py for
    # statements that bypass the ORM). Text: casefolding lengthens some names ("ß" → "ss").
    patient_name_key: Mapped[str] = mapped_column(
        Text, default="", server_default="", info={"derived_from": "patient_name"}
    )
    patient_id_kind: Mapped[str] = mapped_column(String(20), default="personnummer")
    patient_id: Mapped[str] = mapped_column(String(20), default="", index=True)
    patient_sex: Mapped[str] = mapped_column(String(1), default="")
    patient_birth_date: Mapped[date | None] = mapped_column(Date)
    patient_age_approx: Mapped[int | None] = mapped_column()
    version: Mapped[int] = mapped_column(default=1)
    # Counts the patient's identity corrections. A report faxed (or forwarded) under an earlier
    # count named the patient as they were: it needs faxing again (dispatch_rule). A counter,
    # not a time: the laptop's clock may have been set back between the fax and the correction.
    identity_revision: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    cancelled_reason: Mapped[str] = mapped_column(Text, default="")
    # What the referrer's notice says of why, when the reason is not written for them (an
    # internal note); "" prints the reason.
    cancelled_message: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The radiologist's instruction to the radiographer, written on the referral when
    # prioritising on paper (which exam, contrast phase, "ring mig"): who wrote it last, and when.
    protocol: Mapped[str] = mapped_column(Text, default="", server_default="")
    protocol_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    protocol_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    incident: Mapped[Incident] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    protocol_by: Mapped[User | None] = relationship(foreign_keys=[protocol_by_id])

    @validates("patient_name")
    def _keep_name_key(self, _key: str, value: str) -> str:
        self.patient_name_key = patient_name_key(value or "")
        return value

    @property
    def in_drill(self) -> bool:
        # Kept in a move's version beside the incident: every sheet prints ÖVNING by it, so the
        # print rules (printing/versions.py) count a move that changed it as they count a cancel.
        return bool(self.incident.is_drill)

    @property
    def is_unidentified(self) -> bool:
        return self.patient_id_kind == "reserve"


class ReservedCode(db.Model):  # type: ignore[name-defined]
    """A case code printed in advance on a blank binder form; never handed out again."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    doc_kind: Mapped[str] = mapped_column(String(10))
    batch_label: Mapped[str] = mapped_column(String(100), default="")
    reserved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reserved_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    used_case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    void_reason: Mapped[str] = mapped_column(Text, default="")
    # When its blank sheet was first printed: any later sheet with the code is a KOPIA.
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When and by whom a sheet with the code was last printed (a copy too): one printed before an
    # outage ended, never joined nor voided, may be a filled-in sheet lost on the way, so every
    # close of the site's outages waits for it (incidents/close_blanks.py).
    last_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # A report blank joined to its case when the case's report was already signed (asked and
    # ticked, blanks/over_signed.py): its paper is read for an addendum, as the case page says.
    joined_over_signed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Read-only: the blanks are joined and detached by their services (blanks package); the
    # case page loads them with the case to show each one with its detach form.
    used_case: Mapped[Case | None] = relationship(
        backref=db.backref("blanks", order_by="ReservedCode.code", viewonly=True), viewonly=True
    )
