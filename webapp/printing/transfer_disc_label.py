"""The label of a transfer's DVD that travels with the patient: plain data for printforms.

The same sheet as a release's disc label: the receiving hospital reads the same slip.
"""

from __future__ import annotations

from printforms import data as pd

from ..cases.laterality import exam_with_side
from ..codes import make_case_payload
from ..models import ImageTransfer, TransferAttempt
from ..siteconfig import SiteConfig
from .disc_label import DISC_LABEL_QR_DOC
from .reply_contact import fax_with_hours, phone_with_hours, steady_reply
from .services import Printed
from .sheet_parts import fmt_time, sheet_patient

TRANSFER_DISC_LABEL_DOC = "transfer-disc-{id}"
# The sheet's QR and code are a case's: a transfer typed without one has neither to print.
NO_CASE = (
    "Överföringen är inte kopplad till ett ärende i appen, så det finns ingen etikett att skriva "
    "ut: skriv personnummer och namn på skivan för hand."
)
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
    if transfer.case is None:
        return NO_CASE
    if transfer.case.status == "cancelled":
        return CASE_CANCELLED
    return None


def transfer_disc_label_doc(transfer: ImageTransfer) -> str:
    """The print log's name of this transfer's label: each transfer's first print is no copy."""
    return TRANSFER_DISC_LABEL_DOC.format(id=transfer.id)


def transfer_disc_label_version(transfer: ImageTransfer) -> int:
    """The version the label's QR carries: the case's, which a corrected patient raises."""
    assert transfer.case is not None
    return transfer.case.version


def _exam(transfer: ImageTransfer) -> str:
    """What is on the disc: the exam with its modality and date when the case has them."""
    assert transfer.case is not None
    exam = transfer.case.exam
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


def transfer_disc_label_sheet(
    transfer: ImageTransfer, config: SiteConfig, printed: Printed
) -> pd.DiscLabelData:
    """The printforms data of the transfer's DVD label."""
    case = transfer.case
    assert case is not None
    meta = pd.SheetMeta(
        case_code=case.code,
        qr_payload=make_case_payload(
            case.code, DISC_LABEL_QR_DOC, transfer_disc_label_version(transfer)
        ),
        department=config.department or config.name,
        is_drill=case.incident.is_drill,
        reprint_at=fmt_time(printed.reprint_at, "%Y-%m-%d %H:%M:%S") or None,
        is_cancelled=case.status == "cancelled",
        changed_since=fmt_time(printed.changed_since) or None,
    )
    sent = dvd_try(transfer)
    reply = steady_reply(config)
    return pd.DiscLabelData(
        meta=meta,
        patient=sheet_patient(case),
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
    )
