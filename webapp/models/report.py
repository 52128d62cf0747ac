"""Reports (utlåtanden), their signatures and addenda, templates, and urgent-finding calls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .case import Case
from .user import User

REPORT_STATES = ("draft", "preliminary", "definitive")
# The signature kinds that sign the report's text (an addendum signs only itself).
SIGNING_KINDS = ("preliminary", "definitive")
# The section the referral's question is copied into when the editor opens: it is no report.
QUESTION = "frågeställning"
# The longest author's name a form takes for a report faxed in: its signature goes out under
# the name with " (faxat)" after it, in a column of 200 (PostgreSQL refuses a longer value).
TYPED_AUTHOR_MAX = 190
TYPED_AUTHOR_TOO_LONG = "Namnet är för långt – det får ha högst 190 tecken."
# The other radiologist's name on a report keyed from paper: who keyed it goes after it.
PAPER_AUTHOR_MAX = 120
PAPER_AUTHOR_TOO_LONG = "Namnet är för långt – det får ha högst 120 tecken."
# A template's section heading, as the reporting screen and the paper print it.
HEADING_MAX = 120
HEADING_TOO_LONG = "En rubrik är för lång – den får ha högst 120 tecken."
# The heading of report text sent under none (a crafted post; the editor always sends one):
# the text is kept, and the paper and RIS get a heading rather than an empty one or "None".
HEADINGLESS = "Utlåtande"
# Where the radiologist looked at the images: during a PACS outage the acute ones are read on
# the modality's own screen, without the earlier exams to compare with ("" not said yet).
READ_ON = {"pacs": "PACS", "modality": "Modalitetens skärm"}
READ_ON_MODALITY = "modality"
# On the faxed report of one read on the modality: the referrer reads it knowing so.
READ_ON_NOTE = (
    "Granskat på modalitetens skärm utan tillgång till tidigare undersökningar. "
    "Eftergranskas i PACS."
)
READ_ON_MISSING = "Ange var bilderna granskades."
READ_ON_UNKNOWN = "Välj PACS eller modalitetens skärm."
# What the second look in PACS of a report read on the modality found.
SECOND_LOOK_OUTCOMES = {"no_change": "Ingen ändring", "addendum": "Tillägg skrivet"}
# The report's columns the second look writes. No part of the report editor, so recording it
# makes no open editor stale (cases/versions.py report_form_stale).
SECOND_LOOK_COLUMNS = frozenset(("second_look_at", "second_look_by_id", "second_look_outcome"))


def read_on_note(read_on: str) -> str:
    """What the faxed report prints of where its images were read: only of the modality's screen
    (read in PACS, or not said, prints nothing)."""
    return READ_ON_NOTE if read_on == READ_ON_MODALITY else ""


class ReportTemplate(db.Model):  # type: ignore[name-defined]
    """A svarsmodell: sections and quick phrases for one kind of exam."""

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    modality: Mapped[str] = mapped_column(String(30), default="")
    exam_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    phrases: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Report(db.Model):  # type: ignore[name-defined]
    """The radiologist's report on a case; locked once definitively signed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("report_template.id"))
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    is_urgent: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    author_name: Mapped[str] = mapped_column(String(200), default="")
    received_by_fax: Mapped[bool] = mapped_column(default=False)
    fax_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    preliminary_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    definitive_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_on: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # The second look in PACS of a report read on the modality: when, by whom, what it found.
    second_look_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    second_look_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    second_look_outcome: Mapped[str] = mapped_column(String(20), default="", server_default="")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(backref=db.backref("report", uselist=False))
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    second_look_by: Mapped[User | None] = relationship(foreign_keys=[second_look_by_id])
    # In the order written, not by time: the laptop's clock may have been set back between two
    # signatures, and the last one written is what the report goes out as.
    signatures: Mapped[list[ReportSignature]] = relationship(
        order_by="ReportSignature.id", back_populates="report"
    )
    addenda: Mapped[list[Addendum]] = relationship(order_by="Addendum.id", back_populates="report")

    @property
    def is_locked(self) -> bool:
        return self.state == "definitive"

    @property
    def takes_faxed_report(self) -> bool:
        """A report faxed in or keyed from paper may go over a draft, or over a preliminary one
        entered the same way (never over a preliminary one signed in the app)."""
        return self.state == "draft" or (
            self.state == "preliminary" and self.entered_by_id is not None
        )

    @property
    def is_from_paper(self) -> bool:
        """Written on the paper report template and keyed in by someone else."""
        return self.entered_by_id is not None and not self.received_by_fax

    @property
    def text(self) -> str:
        return sections_text(self.sections)

    @property
    def signed_read_on(self) -> str:
        """Where the images were read as last signed ("" never signed): what the fax said.

        The report's own read_on follows a save since without a signature, which went out to
        no one. An addendum signs only itself and says nothing of it.
        """
        signed = [s for s in self.signatures if s.kind in SIGNING_KINDS]
        return signed[-1].read_on if signed else ""

    @property
    def awaits_second_look(self) -> bool:
        """Last signed as read on the modality, and not looked at in PACS since (the rule of
        second_look_rule, which the board and the follow-up read)."""
        return (
            self.state in SIGNING_KINDS
            and self.second_look_at is None
            and self.signed_read_on == READ_ON_MODALITY
        )

    @property
    def paper_times(self) -> dict[int, datetime]:
        """The time on the paper of each signature keyed in from a fax or paper, by its id."""
        return paper_times(self.signatures)


class KeyedSignature(Protocol):
    """A signature, with the time on its paper if it was keyed in from a fax or paper."""

    @property
    def id(self) -> int: ...
    @property
    def paper_signed_at(self) -> datetime | None: ...


def paper_times(signatures: Sequence[KeyedSignature]) -> dict[int, datetime]:
    """The time on the paper of each signature keyed in from a fax or paper, by signature id.

    Such a signature is stored when it was keyed; the time its author signed is kept on it
    (the report's preliminary_at and definitive_at hold only the latest of each kind, so a
    replaced preliminary would lose its own).
    """
    return {sig.id: sig.paper_signed_at for sig in signatures if sig.paper_signed_at is not None}


def has_findings(sections: Sequence[dict[str, Any]]) -> bool:
    """Whether the sections hold report text beyond the referral's question."""
    return any(s.get("text") for s in sections if str(s.get("heading", "")).lower() != QUESTION)


def sections_text(sections: list[dict[str, Any]]) -> str:
    """A report's sections as one text, each under its heading (as keyed into RIS)."""
    return "\n\n".join(f"{s['heading']}:\n{s['text']}" for s in sections if s.get("text"))


class ReportSignature(db.Model):  # type: ignore[name-defined]
    """One signature: preliminary, definitive or of an addendum, with user and time."""

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    report_version: Mapped[int] = mapped_column()
    content_hash: Mapped[str] = mapped_column(String(64))
    # Keyed in from a fax or paper (user_id None): the time on the paper and who keyed it.
    # Kept per signature: the report's own fields follow its latest signature and whoever
    # takes the report over in the app.
    paper_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Where the images were read, as signed (see READ_ON): the report's own answer may change
    # in a save since without a signature, and what leaves as the report is what was signed.
    read_on: Mapped[str] = mapped_column(String(20), default="", server_default="")

    report: Mapped[Report] = relationship(back_populates="signatures")
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])


class Addendum(db.Model):  # type: ignore[name-defined]
    """A signed addition to a definitive report (the report text itself stays locked)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A new urgent finding: the referrer is phoned again, by a call logged after this addendum.
    is_urgent: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    report: Mapped[Report] = relationship(back_populates="addenda")
    author: Mapped[User] = relationship()


class UrgentCall(db.Model):  # type: ignore[name-defined]
    """A phone call to the referrer about an urgent finding."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    called_person: Mapped[str] = mapped_column(String(200))
    phone_number: Mapped[str] = mapped_column(String(40), default="")
    called_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    called_by: Mapped[User] = relationship()


class ReportDispatch(db.Model):  # type: ignore[name-defined]
    """The signed report faxed to the referrer: which signature it covered, where, when, by whom.

    Append-only. A later signature (re-signed, definitive, addendum) is not covered by an earlier
    dispatch, nor is a later identity correction, so the case needs faxing again.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"))
    signature_id: Mapped[int] = mapped_column(ForeignKey("report_signature.id"))
    report_state: Mapped[str] = mapped_column(String(20))
    report_version: Mapped[int] = mapped_column()
    addenda_count: Mapped[int] = mapped_column(default=0)
    fax_number: Mapped[str] = mapped_column(String(40))
    faxed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The case's identity_revision when logged: the patient the faxed sheet named.
    identity_revision: Mapped[int] = mapped_column(default=0, server_default="0")

    case: Mapped[Case] = relationship(
        backref=db.backref("dispatches", order_by="ReportDispatch.id", viewonly=True)
    )
    user: Mapped[User] = relationship()
