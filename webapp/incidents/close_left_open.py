"""What the close asks about that no routine step settles: image transfers still open, and
binder blanks joined to a case since cancelled with what they hold never typed in.

Asked, not refused. A transfer is still worked after the end (its page and its tries need no
open outage), and the routine for transfers has no RIS step to wait for; but the other
hospital may be waiting for images, and nobody looks at the outage's lists once it has ended.
A blank joined to a case that was then cancelled holds paper that may carry an exam or a report
never typed in anywhere: the cancelled case asks for nothing more, so nothing would ever say
the sheet in the red tray is unread. Each is named with its patient, and the close's audit row
names what the admin confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..cases.waiting import DOC_BLANK, REPORT_BLANK
from ..extensions import db
from ..identity import format_patient_id
from ..models import Case, ExamRecord, ImageTransfer, Report, ReservedCode
from ..refusal import Message
from .close_checks import CloseConfirmations, ask_confirmed
from .open_task import case_label

OPEN_TRANSFERS_ONE = (
    "1 bildöverföring till eller från en annan region pågår fortfarande: %(cases)s. Avsluta "
    "den på överföringens sida (klar eller avbruten), eller bekräfta att den följs upp där "
    "efter avslutet: driftstoppets listor visar den inte längre."
)
OPEN_TRANSFERS_MANY = (
    "%(n)s bildöverföringar till eller från andra regioner pågår fortfarande: %(cases)s. "
    "Avsluta dem på överföringarnas sidor (klara eller avbrutna), eller bekräfta att de följs "
    "upp där efter avslutet: driftstoppets listor visar dem inte längre."
)
CANCELLED_BLANKS_ONE = (
    "1 makulerat ärende har en kopplad blankett vars innehåll inte är infört: %(cases)s. "
    "Pappret kan bära dokumentation som aldrig skrivits in. Läs blanketten: hör den till ett "
    "annat ärende, koppla loss den på ärendets sida och koppla den till rätt ärende; annars "
    "bekräfta att den är läst och inte ska föras in."
)
CANCELLED_BLANKS_MANY = (
    "%(n)s makulerade ärenden har kopplade blanketter vars innehåll inte är infört: %(cases)s. "
    "Pappren kan bära dokumentation som aldrig skrivits in. Läs blanketterna: hör en till ett "
    "annat ärende, koppla loss den på ärendets sida och koppla den till rätt ärende; annars "
    "bekräfta att de är lästa och inte ska föras in."
)
# How a message names a transfer: its number, which way, the other hospital, then the patient.
TRANSFER_NAMED = "#%(id)s %(direction)s %(counterpart)s: %(patient)s"
DIRECTION_WORDS = {"send": "skickas till", "receive": "tas emot från"}


@dataclass(frozen=True)
class OpenTransfer:
    """An image transfer of the incident neither done nor abandoned."""

    id: int
    direction: str
    counterpart_name: str
    case_id: int | None
    case_code: str
    # The case's patient, or the one typed on a transfer with no case.
    patient_name: str
    patient_number: str

    @property
    def patient(self) -> str:
        """The case and its patient, or the typed patient alone: two identifiers either way."""
        if self.case_code:
            return case_label(self.case_code, self.patient_name, self.patient_number)
        return f"{self.patient_name or 'Namn okänt'}, {self.patient_number}"

    @property
    def label(self) -> Message:
        direction = DIRECTION_WORDS.get(self.direction, self.direction)
        return Message(
            TRANSFER_NAMED,
            {
                "id": self.id,
                "direction": Message(direction),
                "counterpart": self.counterpart_name,
                "patient": self.patient,
            },
        )

    @property
    def shown_keys(self) -> tuple[str, ...]:
        return (str(self.id),)

    @property
    def audit(self) -> str:
        """The number, and the case's code where it has one, as the audit row keeps them."""
        return f"#{self.id} ({self.case_code})" if self.case_code else f"#{self.id}"


def open_transfers(incident_id: int) -> list[OpenTransfer]:
    """The transfers filed under the incident that are still open, oldest first."""
    rows = db.session.execute(
        select(
            ImageTransfer.id,
            ImageTransfer.direction,
            ImageTransfer.counterpart_name,
            ImageTransfer.case_id,
            ImageTransfer.patient_ref,
            ImageTransfer.patient_name.label("typed_name"),
            Case.code,
            Case.patient_name,
            Case.patient_id_kind,
            Case.patient_id,
        )
        .outerjoin(Case, Case.id == ImageTransfer.case_id)
        .where(ImageTransfer.incident_id == incident_id, ImageTransfer.status == "open")
        .order_by(ImageTransfer.id)
    ).all()
    return [
        OpenTransfer(
            r.id,
            r.direction,
            r.counterpart_name,
            r.case_id,
            r.code or "",
            r.patient_name if r.code else r.typed_name,
            format_patient_id(r.patient_id_kind, r.patient_id) if r.code else r.patient_ref,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class CancelledBlankCase:
    """A cancelled case of the incident with blanks joined whose content is not typed in."""

    case_id: int
    code: str
    patient_name: str
    patient_number: str
    blank_codes: tuple[str, ...]

    @property
    def label(self) -> str:
        """The case named with its patient, then the blanks: 'U-0001 (Namn, nummer): BLD…'."""
        named = case_label(self.code, self.patient_name, self.patient_number)
        return f"{named}: " + ", ".join(self.blank_codes)

    @property
    def shown_keys(self) -> tuple[str, ...]:
        """Its blanks: one joined since the page was drawn was not read, the case known or not."""
        return self.blank_codes

    @property
    def audit(self) -> str:
        return f"{self.code} ({', '.join(self.blank_codes)})"


def cancelled_with_blanks(incident_id: int) -> list[CancelledBlankCase]:
    """The incident's cancelled cases with a documentation blank joined and no exam typed in,
    or a report blank joined and no report signed, oldest first (as cases/waiting.py reads a
    live case waiting for its blank; a cancelled case waits for nothing)."""
    typed = select(ExamRecord.id).where(ExamRecord.case_id == Case.id).exists()
    signed = select(Report.id).where(Report.case_id == Case.id, Report.state != "draft").exists()
    rows = db.session.execute(
        select(
            Case.id,
            Case.code,
            Case.patient_name,
            Case.patient_id_kind,
            Case.patient_id,
            ReservedCode.code.label("blank"),
        )
        .join(ReservedCode, ReservedCode.used_case_id == Case.id)
        .where(
            Case.incident_id == incident_id,
            Case.status == "cancelled",
            ((ReservedCode.doc_kind == DOC_BLANK) & ~typed)
            | ((ReservedCode.doc_kind == REPORT_BLANK) & ~signed),
        )
        .order_by(Case.created_at, Case.id, ReservedCode.code)
    ).all()
    cases: dict[int, CancelledBlankCase] = {}
    for r in rows:
        known = cases.get(r.id)
        blanks = (*known.blank_codes, r.blank) if known else (r.blank,)
        number = format_patient_id(r.patient_id_kind, r.patient_id)
        cases[r.id] = CancelledBlankCase(r.id, r.code, r.patient_name, number, blanks)
    return list(cases.values())


def check_left_open(incident_id: int, confirmed: CloseConfirmations) -> tuple[list[str], list[str]]:
    """Refuse the end until the open transfers and the cancelled cases' unread blanks are
    confirmed; what was confirmed of each, for the audit row."""
    transfers = open_transfers(incident_id)
    ask_confirmed(
        "confirm_open_transfers",
        transfers,
        confirmed.open_transfers,
        OPEN_TRANSFERS_ONE,
        OPEN_TRANSFERS_MANY,
        separator="; ",
        shown=confirmed.listed("confirm_open_transfers"),
    )
    blanks = cancelled_with_blanks(incident_id)
    ask_confirmed(
        "confirm_cancelled_blanks",
        blanks,
        confirmed.cancelled_blanks,
        CANCELLED_BLANKS_ONE,
        CANCELLED_BLANKS_MANY,
        separator="; ",
        shown=confirmed.listed("confirm_cancelled_blanks"),
    )
    return [t.audit for t in transfers], [c.audit for c in blanks]
