"""What the close asks the admin to confirm about cases, each listed beside its box: reports
not faxed, patients known only by a reserve number, images only on the modality."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..dispatch_rule import identity_refax_clause, needs_fax_clause
from ..extensions import db
from ..identity import format_patient_id
from ..models import Case
from ..pacs_rule import images_not_in_pacs_clause
from ..refusal import Message
from .open_task import case_label

_PATIENT = (Case.patient_name, Case.patient_id_kind, Case.patient_id)


@dataclass(frozen=True)
class UnfaxedReport:
    """A case whose signed report (or latest signature) is not logged as faxed to the referrer."""

    case_id: int
    code: str
    patient_name: str
    patient_number: str = ""
    # Faxed, but before the patient's identity was corrected: it goes again.
    identity_corrected: bool = False

    @property
    def label(self) -> str:
        return case_label(self.code, self.patient_name, self.patient_number)

    @property
    def shown_keys(self) -> tuple[str, ...]:
        return (str(self.case_id),)


def unfaxed_reports(incident_id: int) -> list[UnfaxedReport]:
    """Cases of the incident whose signed report the referrer has not been faxed, by the log."""
    rows = db.session.execute(
        select(Case.id, Case.code, *_PATIENT, identity_refax_clause().label("refax"))
        .where(Case.incident_id == incident_id, needs_fax_clause())
        .order_by(Case.created_at, Case.id)
    )
    return [
        UnfaxedReport(
            r.id,
            r.code,
            r.patient_name,
            format_patient_id(r.patient_id_kind, r.patient_id),
            bool(r.refax),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class UnidentifiedCase:
    """A case whose patient is still known only by a reserve number."""

    code: str
    patient_name: str
    reserve_number: str

    @property
    def label(self) -> str:
        return case_label(self.code, self.patient_name, self.reserve_number)

    @property
    def shown_keys(self) -> tuple[str, ...]:
        return (self.code,)


def unidentified_cases(incident_id: int) -> list[UnidentifiedCase]:
    """The incident's cases whose patient is still known only by a reserve number."""
    rows = db.session.execute(
        select(Case.code, Case.patient_name, Case.patient_id)
        .where(
            Case.incident_id == incident_id,
            Case.patient_id_kind == "reserve",
            Case.status != "cancelled",
        )
        .order_by(Case.created_at, Case.id)
    )
    return [UnidentifiedCase(r.code, r.patient_name, r.patient_id) for r in rows]


@dataclass(frozen=True)
class OnModalityCase:
    """A case of the incident whose exam says its images never reached PACS."""

    case_id: int
    code: str
    patient_name: str
    patient_number: str = ""
    is_cancelled: bool = False

    @property
    def label(self) -> Message | str:
        named = case_label(self.code, self.patient_name, self.patient_number)
        return Message(CANCELLED_CASE, {"case": named}) if self.is_cancelled else named

    @property
    def shown_keys(self) -> tuple[str, ...]:
        return (str(self.case_id),)

    @property
    def audit(self) -> str:
        """The code alone, as the audit row keeps it, marked when the case is cancelled."""
        return f"{self.code} (makulerat)" if self.is_cancelled else self.code


# A cancelled case's images cannot be recorded as sent on its page: the message's "register it
# on the case's page" is not for it, and the box's "sent there unrecorded" is.
CANCELLED_CASE = "%(case)s, makulerat"


def on_modality_cases(incident_id: int) -> list[OnModalityCase]:
    """The incident's cases whose images are only on the modality (pacs_rule), oldest first.

    At the close these are waived cases (an ordinary one cannot be reconciled before its images
    are matched in PACS) and cancelled ones: an exam done before its referral was cancelled (a
    duplicate, say) left its images on the modality all the same. Once the incident has ended
    they can no longer be recorded as sent.
    """
    rows = db.session.execute(
        select(Case.id, Case.code, *_PATIENT, Case.status)
        .where(Case.incident_id == incident_id, images_not_in_pacs_clause())
        .order_by(Case.created_at, Case.id)
    )
    return [
        OnModalityCase(
            r.id,
            r.code,
            r.patient_name,
            format_patient_id(r.patient_id_kind, r.patient_id),
            r.status == "cancelled",
        )
        for r in rows
    ]
