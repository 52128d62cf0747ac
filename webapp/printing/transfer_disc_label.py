"""The label of a transfer's DVD that travels with the patient: plain data for printforms.

The same sheet as a release's disc label: the receiving hospital reads the same slip. A transfer
with no case (images from before the outage) prints the patient as typed on the transfer, and
its own reference and QR (transfer_refs) where a case's sheet has the case code.
"""

from __future__ import annotations

from printforms import data as pd

from ..cases.display import ID_KIND_LABELS
from ..cases.fields import site_today
from ..cases.laterality import exam_with_side
from ..codes import make_disc_label_payload
from ..disc_label_codes import disc_label_reference
from ..extensions import db
from ..identity import IdentityError, parse_personal_number
from ..models import ImageTransfer, Incident, TransferAttempt
from ..siteconfig import SiteConfig
from ..transfer_refs import TRANSFER_LABEL_VERSION, transfer_payload, transfer_reference
from .reply_contact import fax_with_hours, phone_with_hours, steady_reply
from .services import Printed
from .sheet_parts import fmt_time, sheet_patient

TRANSFER_DISC_LABEL_DOC = "transfer-disc-{id}"
# What the slip calls the code of a transfer with no case.
REFERENCE_LABEL = "Överföring"
NO_DVD_TRY = "Logga först försöket med DVD med patienttransporten."
RECEIVED = "Skivan märks av sjukhuset som skickar bilderna."
CASE_CANCELLED = "Ärendet är makulerat."
WITH_PATIENT = "Med patienttransporten"
_SENT_WITH_PATIENT = (
    "Skivan följer med patienten: lämna den i kuvert till patienttransporten och ring "
    "mottagaren om att den är på väg."
)


def dvd_try(transfer: ImageTransfer) -> TransferAttempt | None:
    """The latest try of the DVD route, whose date the label gives; None before any."""
    tries = [a for a in transfer.attempts if a.route == "dvd"]
    return tries[-1] if tries else None


def transfer_disc_label_refusal(transfer: ImageTransfer) -> str | None:
    """Why the transfer has no DVD label to print; None when it has."""
    if transfer.direction != "send":
        return RECEIVED
    if dvd_try(transfer) is None:
        return NO_DVD_TRY
    if transfer.case is not None and transfer.case.status == "cancelled":
        return CASE_CANCELLED
    return None


def transfer_disc_label_doc(transfer: ImageTransfer) -> str:
    """The print log's name of this transfer's label: each transfer's first print is no copy."""
    return TRANSFER_DISC_LABEL_DOC.format(id=transfer.id)


def transfer_disc_label_version(transfer: ImageTransfer) -> int:
    """The version the label's QR carries: the case's, which a corrected patient raises."""
    if transfer.case is None:
        return TRANSFER_LABEL_VERSION
    return transfer.case.version


def _exam(transfer: ImageTransfer) -> str:
    """What is on the disc: the exam with its modality and date when the case has them."""
    exam = transfer.case.exam if transfer.case is not None else None
    if exam is None:
        return transfer.exam_text
    text = exam_with_side(exam.exam_text, exam.side)
    return f"{text}, {exam.modality}, {fmt_time(exam.started_at, '%Y-%m-%d')}"


def _recipient(transfer: ImageTransfer, config: SiteConfig) -> str:
    counterpart = config.routines.transfer.counterpart(transfer.counterpart_key)
    phone = counterpart.phone if counterpart else ""
    return transfer.counterpart_name + (f", tel {phone}" if phone else "")


def _notes(config: SiteConfig) -> tuple[str, ...]:
    hint = config.routines.transfer.dvd_hint
    return (_SENT_WITH_PATIENT, hint) if hint else (_SENT_WITH_PATIENT,)


def _typed_patient(transfer: ImageTransfer) -> pd.Patient:
    """The patient as typed on a transfer with no case, named by the kind of their number."""
    try:
        number = parse_personal_number(transfer.patient_ref, site_today())
    except IdentityError:
        kind, shown = "reserve", transfer.patient_ref
    else:
        kind, shown = number.kind, number.display
    return pd.Patient(
        name=transfer.patient_name or "Namn okänt",
        id_label=ID_KIND_LABELS[kind],
        id_number=shown,
        sex="",
    )


def _meta(transfer: ImageTransfer, config: SiteConfig, printed: Printed) -> pd.SheetMeta:
    case = transfer.case
    if case is not None:
        code = case.code
        payload = make_disc_label_payload(
            code, transfer_disc_label_version(transfer), record="transfer", record_id=transfer.id
        )
        is_drill = case.incident.is_drill
    else:
        code, payload = transfer_reference(transfer), transfer_payload(transfer)
        incident = db.session.get(Incident, transfer.incident_id) if transfer.incident_id else None
        is_drill = incident is not None and incident.is_drill
    return pd.SheetMeta(
        case_code=code,
        qr_payload=payload,
        department=config.department or config.name,
        is_drill=is_drill,
        reprint_at=fmt_time(printed.reprint_at, "%Y-%m-%d %H:%M:%S") or None,
        is_cancelled=case is not None and case.status == "cancelled",
        changed_since=fmt_time(printed.changed_since) or None,
    )


def transfer_disc_label_sheet(
    transfer: ImageTransfer, config: SiteConfig, printed: Printed
) -> pd.DiscLabelData:
    """The printforms data of the transfer's DVD label."""
    case = transfer.case
    sent = dvd_try(transfer)
    reply = steady_reply(config)
    return pd.DiscLabelData(
        meta=_meta(transfer, config, printed),
        patient=sheet_patient(case) if case is not None else _typed_patient(transfer),
        medium="DVD",
        is_usb=False,
        exams=(_exam(transfer),),
        contents="Bilder",
        sender=config.department or config.name,
        sender_phone=phone_with_hours(reply),
        sender_fax=fax_with_hours(reply),
        recipient=_recipient(transfer, config),
        delivery=WITH_PATIENT,
        released_on=fmt_time(sent.at if sent else None, "%Y-%m-%d"),
        date_label="Skickad",
        routine_notes=_notes(config),
        code_label="Ärende" if case is not None else REFERENCE_LABEL,
        # A transfer with no case has its own reference already.
        label_reference=disc_label_reference("transfer", transfer.id) if case is not None else "",
    )
