"""Plain data the sheets are drawn from: already-formatted strings, no ORM, no rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from printforms.data_ward import WardFax

# In a QR payload: the page's number within its sheet goes here (see IncidentListData).
PAGE_FIELD = "{page}"


@dataclass(frozen=True)
class LabeledValue:
    """One label/value pair, e.g. ("Kontrastallergi", "Nej")."""

    label: str
    value: str


@dataclass(frozen=True)
class SheetMeta:
    """What every case sheet prints in its header and footer."""

    case_code: str
    qr_payload: str
    department: str = ""
    is_drill: bool = False
    # The print time of a reprint; None means an original print (no KOPIA mark).
    reprint_at: str | None = None
    is_cancelled: bool = False
    # The document's first print time when that print was of another version (ÄNDRAD mark).
    changed_since: str | None = None
    # What kinds of content changed since then, in a word or two each (never the values).
    changed_parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Patient:
    name: str
    id_label: str  # "Personnummer", "Samordningsnummer" or "Reservnummer"
    id_number: str
    sex: str
    age: str = ""  # shown when the patient is unidentified
    # Reserve numbers the patient had before being identified: RIS and PACS may hold the exam
    # under them. Empty for a patient never corrected.
    earlier_reserve: str = ""


@dataclass(frozen=True)
class Referrer:
    unit: str
    clinician: str
    phone: str
    reply_fax: str


@dataclass(frozen=True)
class ReferralData:
    meta: SheetMeta
    patient: Patient
    referrer: Referrer
    priority: str
    requested_exam: str
    modality: str
    clinical_question: str
    history: str
    safety: tuple[LabeledValue, ...]
    arrival: str  # how and when it arrived, e.g. "Fax 2025-03-02 14:12"
    received_by: str
    # Risky safety answers for the exam (e.g. "Pacemaker/ICD – MR bara efter ..."): an OBS box.
    warnings: tuple[str, ...] = ()
    # The radiologist's instruction to the radiographer, written on the paper referral when
    # prioritising; protocol_written is who wrote it and when (and whether after the exam began).
    protocol: str = ""
    protocol_written: str = ""


@dataclass(frozen=True)
class ExamData:
    """The documentation form (dokumentationsblankett)."""

    meta: SheetMeta
    patient: Patient
    modality_room: str
    exam_performed: str
    started_at: str
    ended_at: str
    radiographers: str
    modality_temp_id: str
    contrast_agent: str = ""
    contrast_volume: str = ""
    contrast_route: str = ""
    # The contrast's batch number, "okänt" when ticked as not known, or "" (no contrast).
    contrast_batch: str = ""
    patient_weight: str = ""
    dose_dlp: str = ""
    dose_ctdivol: str = ""
    dose_dap: str = ""
    fluoroscopy_time: str = ""
    series_images: str = ""
    pacs_status: str = ""
    pacs_sent_at: str = ""
    complications: str = ""
    notes: str = ""
    # The referral's risky safety answers, as on the referral sheet.
    warnings: tuple[str, ...] = ()
    # The referral's infection/isolation and how the patient moves, in its sheet's words.
    infection: str = ""
    mobility: str = ""


@dataclass(frozen=True)
class FaxHeader:
    to_unit: str
    to_fax: str
    from_department: str
    from_fax: str
    from_phone: str
    sent_at: str
    # The clinician who asked, under the unit: the reply is for them, not for whoever of the
    # ward stands at its fax. Empty on sheets that name the referrer elsewhere.
    to_clinician: str = ""
    # What to_fax is: the referrer's reply fax, or how to reach another addressee ("E-post").
    to_label: str = "Svarsfax"
    # When from_fax and from_phone answer ("mån–fre 07:30–15:30") and the numbers that hold
    # after: a site's reply contact staffed by day. Empty: they answer round the clock.
    from_hours: str = ""
    then_fax: str = ""
    then_phone: str = ""


@dataclass(frozen=True)
class Addendum:
    author: str
    written_at: str
    text: str
    # A new urgent finding after signing: the referrer is phoned about it.
    is_urgent: bool = False


@dataclass(frozen=True)
class UrgentCall:
    called_at: str
    caller: str
    recipient: str
    note: str = ""
    # How many of the report's addenda came before the call: it prints after them, so a call
    # made before an urgent addendum does not stand under it as if it were about it.
    after_addenda: int = 0


@dataclass(frozen=True)
class ReportData:
    """The report (utlåtande), faxed to the referrer."""

    meta: SheetMeta
    patient: Patient
    fax: FaxHeader
    exam: str
    sections: tuple[tuple[str, str], ...]  # (heading, text), in print order
    radiologist: str
    signature_state: str  # e.g. "Preliminärt signerat"
    signed_at: str
    is_preliminary: bool
    addenda: tuple[Addendum, ...] = ()
    # Every call about an urgent finding, in the order made.
    urgent_calls: tuple[UrgentCall, ...] = ()
    received_by_fax_from: str | None = None
    # An urgent finding (the referrer is to be phoned): marked on every page of the fax.
    is_urgent: bool = False
    # Where the images were read, when the reader is to know (read on the modality's screen
    # without earlier exams to compare with): "" prints nothing.
    read_on_note: str = ""


@dataclass(frozen=True)
class ReleaseReportData:
    """The report printed for a new report recipient when images are released.

    The report's fax header is not printed: the recipient's name and address take its place.
    """

    report: ReportData
    recipient_name: str
    recipient_address: str
    # What goes with the report, e.g. "Bilder på CD, med post".
    sent_with: str


@dataclass(frozen=True)
class DiscLabelData:
    """What is written on a CD/DVD (or a USB stick's envelope) and on its slip: images released,
    or sent with the patient to another region when the link is down.

    The routine: stamp the disc and write the patient's personnummer and name on it.
    """

    meta: SheetMeta
    patient: Patient
    # "CD", "DVD" or "USB": a stick is not written on, its envelope is.
    medium: str
    is_usb: bool
    # Each exam with its date, e.g. "DT hjärna utan kontrast, 2026-01-15".
    exams: tuple[str, ...]
    contents: str  # e.g. "Bilder och svarsutlåtande"
    sender: str  # the sending department
    sender_phone: str
    recipient: str
    delivery: str  # e.g. "Hämtas i receptionen"; "" when the release names none
    released_on: str
    # What the date is of: a release's handing out, a transfer's sending.
    date_label: str = "Utlämnat"
    # What the routine asks of staff for this release (ID at pickup, the envelope), in order.
    routine_notes: tuple[str, ...] = ()
    # The sender's fax, for a sender without a phone: the label names a number to reach it by.
    sender_fax: str = ""
    # What meta.case_code is: a transfer with no case prints its own reference there.
    code_label: str = "Ärende"
    # The release or transfer the disc is of, e.g. "U12", as its QR names it: printed beside
    # the code, so two discs of one case are told apart by eye too. "" for none.
    label_reference: str = ""


@dataclass(frozen=True)
class RedTrayData:
    """Cover sheet for the red tray (röd back)."""

    meta: SheetMeta
    patient: Patient
    exam: str
    documents: tuple[str, ...]  # e.g. "Remiss v2"
    catch_up_steps: tuple[str, ...]


# The anonymised documents have no name, identity number or address fields on purpose:
# what is not in the data cannot leak onto the fax to the external reviewer.
@dataclass(frozen=True)
class AnonymisedReferralData:
    meta: SheetMeta
    sex: str
    age: str
    referring_unit: str
    reply_to: str  # where the reviewer faxes back, e.g. "Röntgen CSK, fax 035-000 00 00"
    priority: str
    requested_exam: str
    modality: str
    clinical_question: str
    history: str
    safety: tuple[LabeledValue, ...] = ()
    # Who ordered it and how to reach them: a very urgent finding is phoned to the referrer
    # by the reviewer directly. Neither names the patient.
    referrer_clinician: str = ""
    referrer_phone: str = ""
    warnings: tuple[str, ...] = ()
    # The patient's name or a number was taken out of the free text: the sheet says so, so
    # the reviewer reads "[borttaget]" as a gap and not as the referrer's words.
    text_removed: bool = False


@dataclass(frozen=True)
class AnonymisedReportData:
    meta: SheetMeta
    sex: str
    age: str
    fax: FaxHeader
    exam: str
    sections: tuple[tuple[str, str], ...]
    radiologist: str
    signature_state: str
    signed_at: str
    is_preliminary: bool
    # An addendum may correct the report, and an urgent finding is marked: as on the report.
    addenda: tuple[Addendum, ...] = ()
    is_urgent: bool = False
    # As on the anonymised referral: the patient's name or a number was taken out of the
    # sections, addenda or calls, and the sheet says so.
    text_removed: bool = False
    # Every call about an urgent finding, as on the report: the routine hands the faxed report
    # to the RIS administrator to handle the reply, and a very urgent one was given by phone
    # (the reviewer's verbal answer is logged as such a call). Caller and recipient are staff.
    urgent_calls: tuple[UrgentCall, ...] = ()


@dataclass(frozen=True)
class SafetyAnswer:
    """A safety question answered on the referral, e.g. ("Metformin", "Ja", is_alert=True).

    An empty value prints the label alone ("Njurfunktion okänd"). is_alert: an answer staff
    must act on (a yes to an allergy, a pacemaker); the sheet marks it.
    """

    label: str
    value: str = ""
    is_alert: bool = False


@dataclass(frozen=True)
class IncidentCaseRow:
    case_code: str
    patient: str  # masked or full, as the caller decided
    exam: str
    priority: str
    status: str
    waited: str  # as staff read a wait: "3 h 20 min", "1 d 2 h"; "" once no longer waiting
    # Only the questions answered; on the reconciliation checklist, for keying into RIS.
    safety: tuple[SafetyAnswer, ...] = ()


@dataclass(frozen=True)
class IncidentListData:
    title: str
    incident_label: str
    # With PAGE_FIELD where each page's number goes: a list is many pages, each its own paper.
    qr_payload: str
    scenario: str
    started_at: str
    cases: tuple[IncidentCaseRow, ...]
    department: str = ""
    is_drill: bool = False
    # When this snapshot was taken. Each print is drawn afresh, so a list is never a KOPIA.
    printed_at: str = ""
    # A list of only some of the incident's cases says which ("changed only" checklist): its
    # few rows would otherwise pass for every case there is. "" for the whole list.
    scope: str = ""


BlankKind = Literal["referral", "exam", "report"]


@dataclass(frozen=True)
class BlankSheetData:
    """A blank form for the downtime binder, with its case code reserved in advance."""

    kind: BlankKind
    case_code: str
    qr_payload: str
    department: str = ""
    # The department's fax and phone: a filled-in referral is faxed to it, a report from it.
    department_fax: str = ""
    department_phone: str = ""
    # When they answer ("mån–fre 07:30–15:30") and the numbers after, as on a fax header: a
    # blank is filled in at any hour after it is printed. Empty: they answer round the clock.
    department_hours: str = ""
    then_fax: str = ""
    then_phone: str = ""
    is_drill: bool = False
    # The site's priority labels, printed as tick boxes; empty gives a line to write on.
    priorities: tuple[str, ...] = ()
    # The print time when the code's sheet was printed before (KOPIA); None for the first print.
    reprint_at: str | None = None
    # Where a filled-in referral blank is faxed, as the ward referral form names them ([site]
    # referral_fax); empty: to the department's fax above.
    referral_faxes: tuple[WardFax, ...] = ()


@dataclass(frozen=True)
class CancelNoticeData:
    """The referrer told by fax that the exam they asked for will not be done."""

    meta: SheetMeta
    patient: Patient
    # To the referring unit's reply fax, from the department (its phone: whom to call).
    fax: FaxHeader
    referrer_clinician: str
    requested_exam: str
    # How and when the referral arrived, as the referral sheet says it.
    referral_arrived: str
    # What the referrer is told of why: the cancel's message to them, or its reason.
    message: str
    cancelled_at: str
    cancelled_by: str


CaseDocument = (
    ReferralData
    | ExamData
    | ReportData
    | ReleaseReportData
    | RedTrayData
    | AnonymisedReferralData
    | AnonymisedReportData
    | CancelNoticeData
)
