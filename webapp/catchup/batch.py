"""The reconciliation batch as plain data: what every export format is written from.

batch_reader.iter_batch reads it from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import CatchupTick


@dataclass(frozen=True)
class PatientData:
    name: str
    id_kind: str
    id_value: str
    sex: str
    birth_date: str | None
    approx_age: int | None


@dataclass(frozen=True)
class ReferralData:
    referrer_unit: str
    referrer_clinician: str
    referrer_phone: str
    reply_fax: str
    priority: str
    priority_label: str
    exam_code: str
    exam_text: str
    # right, left, both; "" not given.
    side: str
    modality: str
    # Asked for on the referral; what was given is the exam's contrast_agent.
    contrast_planned: bool
    clinical_question: str
    history: str
    safety: dict[str, str]
    arrived_via: str
    arrived_at: str
    received_by: str
    # The radiologist's instruction to the radiographer, keyed into RIS with the order; who
    # wrote it last and when. Out of the repr (case_digest adds it when there is one), so a case
    # without one keeps the digest an export took of it before the instruction existed.
    protocol: str = field(default="", repr=False)
    protocol_by: str = field(default="", repr=False)
    protocol_at: str | None = field(default=None, repr=False)
    # Infection/isolation (yes, no, unknown or empty) and which, and how the patient moves:
    # out of the repr as the instruction, so a case without them keeps its earlier digest.
    infection: str = field(default="", repr=False)
    infection_note: str = field(default="", repr=False)
    mobility: str = field(default="", repr=False)


@dataclass(frozen=True)
class ExamData:
    modality: str
    room: str
    exam_code: str
    exam_text: str
    side: str
    # The side performed differs from the referral's, confirmed by the radiographer.
    side_confirmed: bool
    started_at: str
    ended_at: str | None
    radiographers: str
    modality_temp_id: str
    contrast_agent: str
    contrast_volume_ml: float | None
    contrast_route: str
    dose: dict[str, float]
    series_count: int | None
    image_count: int | None
    pacs_status: str
    pacs_sent_at: str | None
    complications: str
    notes: str
    documented_by: str
    # The contrast's batch (lot) number, or that it was not known, and the patient's weight:
    # out of the repr (case_digest adds them when given), so an exam without them keeps the
    # digest an export took of it before they were asked.
    contrast_batch: str = field(default="", repr=False)
    contrast_batch_unknown: bool = field(default=False, repr=False)
    patient_weight_kg: float | None = field(default=None, repr=False)
    # A DLP below the CTDIvol (a scan under 1 cm) confirmed as typed: out of the repr likewise.
    short_scan_confirmed: bool = field(default=False, repr=False)


@dataclass(frozen=True)
class SignatureData:
    """One signature. Keyed in from a fax or paper, signed_at is the time on the paper and
    keyed_at, keyed_by say when and by whom it was keyed (else None and "")."""

    kind: str
    signer: str
    signed_at: str
    keyed_at: str | None = None
    keyed_by: str = ""


@dataclass(frozen=True)
class AddendumData:
    author: str
    signed_at: str
    text: str
    # A new urgent finding after signing, phoned to the referrer on its own.
    is_urgent: bool = False

    @property
    def title(self) -> str:
        """How the exports head it: an urgent one says so, as the printed report does."""
        return "Tillägg – akut fynd" if self.is_urgent else "Tillägg"


@dataclass(frozen=True)
class DispatchData:
    """The signed report faxed to the referrer: to which number, when, by whom."""

    fax_number: str
    faxed_at: str
    by: str
    report_state: str


@dataclass(frozen=True)
class CallData:
    """The referrer phoned about an urgent finding: RIS documents the call with the report."""

    called_person: str
    phone_number: str
    called_at: str
    by: str
    note: str

    @property
    def line(self) -> str:
        """The call as the exports write it (times as given: the caller formats them)."""
        number = f" ({self.phone_number})" if self.phone_number else ""
        note = f": {self.note}" if self.note else ""
        return f"{self.called_person}{number} av {self.by}{note}"

    def with_report(self, called_at: str = "") -> str:
        """The call as RIS documents it with the report; `called_at` as the export shows it
        (by default the time as given)."""
        return f"Ringt om akut fynd {called_at or self.called_at}: {self.line}"


@dataclass(frozen=True)
class ReportData:
    state: str
    fhir_status: str
    sections: list[dict[str, str]]
    author: str
    received_by_fax: bool
    is_urgent: bool
    signatures: list[SignatureData]
    addenda: list[AddendumData]
    dispatches: list[DispatchData] = field(default_factory=list)
    # Where the images were read (pacs, modality; "" not said), the fax's line of one read on the
    # modality, and its second look in PACS: out of the repr (case_digest adds them when there
    # are any), so a report without them keeps the digest an export took of it before.
    read_on: str = field(default="", repr=False)
    read_on_note: str = field(default="", repr=False)
    second_look_at: str | None = field(default=None, repr=False)
    second_look_by: str = field(default="", repr=False)
    second_look_outcome: str = field(default="", repr=False)


@dataclass(frozen=True)
class StepData:
    step: str
    done: bool
    by: str
    at: str | None


@dataclass(frozen=True)
class EarlierIdentity:
    """An identity the case had before a correction: what RIS and PACS may still hold."""

    id_kind: str
    id_value: str
    name: str
    changed_at: str
    reason: str

    @property
    def id_display(self) -> str:
        return display_id(self.id_kind, self.id_value)


@dataclass(frozen=True)
class ReleaseNoteData:
    """A release of the case's images: the note for the referral notes in RIS (remissanteckning)
    and whether it is recorded as written there (one made in an outage waits for that)."""

    text: str
    released_at: str
    due_in_ris: bool
    in_ris: bool
    in_ris_by: str
    in_ris_at: str | None


@dataclass(frozen=True)
class CaseExport:
    code: str
    status: str
    incident_id: int
    is_drill: bool
    created_at: str
    updated_at: str
    patient: PatientData
    referral: ReferralData | None
    exam: ExamData | None
    report: ReportData | None
    steps: list[StepData]
    ris_accession: str
    ris_exam_number: str
    verified_by: str
    verified_at: str | None
    waived: bool
    waive_reason: str
    waived_by: str
    waived_at: str | None
    # With four eyes, the second user who confirmed the waiver; empty while it waits (waived and
    # not reconciled) and for a waiver that stood at once.
    waiver_confirmed_by: str
    waiver_confirmed_at: str | None
    reconciled_at: str | None
    cancelled_reason: str
    earlier_identities: list[EarlierIdentity] = field(default_factory=list)
    documents: list[dict[str, str]] = field(default_factory=list)
    urgent_calls: list[CallData] = field(default_factory=list)
    # Every release of the case's images, in the order made. Out of the repr (case_digest adds
    # them when there are any), so a case with none keeps the digest an export took before.
    release_notes: list[ReleaseNoteData] = field(default_factory=list, repr=False)

    @property
    def waiver_pending(self) -> bool:
        """Waived, and the waiver waits for a second user's confirmation: not reconciled."""
        return self.waived and self.reconciled_at is None and self.status != "cancelled"


def display_id(kind: str, value: str) -> str:
    """YYYYMMDD-NNNN as staff write it (and so Excel keeps it text); a reserve number as is."""
    if kind in ("personnummer", "samordningsnummer") and len(value) == 12 and value.isdigit():
        return f"{value[:8]}-{value[8:]}"
    return value


def latest_ticks(case_ids: list[int]) -> dict[int, dict[str, CatchupTick]]:
    """The current state of every catch-up step per case (the last tick written wins)."""
    result: dict[int, dict[str, CatchupTick]] = {cid: {} for cid in case_ids}
    if not case_ids:
        return result
    for tick in db.session.scalars(
        select(CatchupTick)
        .where(CatchupTick.case_id.in_(case_ids))
        # By id, not time: the laptop's clock may have been set back between two ticks.
        .order_by(CatchupTick.id)
    ):
        result[tick.case_id][tick.step] = tick
    return result
