"""The label of a release's disc (or USB stick's envelope): plain data for printforms."""

from __future__ import annotations

import dataclasses
import hashlib

from sqlalchemy import select

from printforms import data as pd

from ..cases.laterality import exam_with_side
from ..cases.versions import identity_changed_since
from ..codes import make_disc_label_payload
from ..disc_label_codes import disc_label_reference
from ..extensions import db
from ..models import ImageRelease, PrintRecord
from ..release_terms import DELIVERY_LABELS, MEDIA_LABELS, PRIVATE_USE, RECIPIENT_LABELS
from ..siteconfig import SiteConfig
from .reply_contact import fax_with_hours, phone_with_hours, steady_reply
from .services import Printed
from .sheet_parts import fmt_time, sheet_patient

DISC_LABEL_DOC = "disc-{id}"

# What the routine asks of staff, by delivery, for a release to the patient for private use.
_PRIVATE_USE_NOTES = {
    "post": (
        "Skicka i klinikens förtryckta kuvert till patientens folkbokföringsadress, "
        "inte som rekommenderad försändelse."
    ),
    "pickup": "Patienten visar giltig ID-handling vid hämtning.",
}
_PROXY_NOTE = (
    "Hämtar någon annan: fullmakt för utlämnande av röntgenbilder och ID-handling för både "
    "ombud och patient."
)
NO_MEDIUM = "Utlämnandet går inte på skiva eller USB-minne: det finns ingen etikett att skriva ut."
_REFERRAL_NOTE = "Dokumentera utlämnandet i remissanteckningen (texten finns på utlämnandets sida)."


def disc_label_refusal(release: ImageRelease) -> str | None:
    """Why the release has no disc label to print; None when it has."""
    if release.channel != "media":
        return NO_MEDIUM
    if release.case.status == "cancelled":
        return "Ärendet är makulerat."
    return None


def disc_label_doc(release: ImageRelease) -> str:
    """The print log's name of this release's label: each release's first print is no copy."""
    return DISC_LABEL_DOC.format(id=release.id)


def disc_label_version(release: ImageRelease) -> int:
    """The version the label's QR carries: the case's, which a corrected patient raises."""
    return release.case.version


def label_shows_earlier_identity(release: ImageRelease) -> bool:
    """Whether the release's latest label was printed before the patient's identity was
    corrected: the disc waiting at the desk names the earlier patient."""
    return label_printed_before_correction(release.case_id, disc_label_doc(release))


def label_printed_before_correction(case_id: int, doc: str) -> bool:
    """Whether the case's latest label of the print log's name `doc` (a release's or a
    transfer's) was printed before the patient's identity was corrected."""
    # The label's print carries the case's version (disc_label_version), which a correction
    # raises; by id, not time, as the laptop's clock may have been set back.
    printed = db.session.scalar(
        select(PrintRecord.version)
        .where(PrintRecord.case_id == case_id, PrintRecord.doc == doc)
        .order_by(PrintRecord.id.desc())
        .limit(1)
    )
    return printed is not None and identity_changed_since(db.session(), case_id, printed)


def _routine_notes(release: ImageRelease) -> tuple[str, ...]:
    notes: list[str] = []
    if release.recipient_kind in PRIVATE_USE:
        if release.doctor_cleared_by:
            notes.append(f"Läkare rådfrågad om fynden: {release.doctor_cleared_by}.")
        if release.delivery in _PRIVATE_USE_NOTES:
            notes.append(_PRIVATE_USE_NOTES[release.delivery])
        if release.delivery == "pickup":
            notes.append(_PROXY_NOTE)
    notes.append(_REFERRAL_NOTE)
    return tuple(notes)


def _recipient(release: ImageRelease) -> str:
    kind = RECIPIENT_LABELS.get(release.recipient_kind, release.recipient_kind)
    return f"{kind}: {release.recipient_name}" if release.recipient_name else kind


def _exams(release: ImageRelease) -> tuple[str, ...]:
    case = release.case
    if case.exam is None:
        return (exam_with_side(case.referral.exam_text, case.referral.side),)
    exam = exam_with_side(case.exam.exam_text, case.exam.side)
    return (f"{exam}, {fmt_time(case.exam.started_at, '%Y-%m-%d')}",)


def disc_label_sheet(
    release: ImageRelease, config: SiteConfig, printed: Printed
) -> pd.DiscLabelData:
    """The printforms data of the release's disc label."""
    case = release.case
    meta = pd.SheetMeta(
        case_code=case.code,
        # The release's own: another disc of the case is another sheet to the scan station.
        qr_payload=make_disc_label_payload(
            case.code, disc_label_version(release), record="release", record_id=release.id
        ),
        department=config.department or config.name,
        is_drill=case.incident.is_drill,
        reprint_at=fmt_time(printed.reprint_at, "%Y-%m-%d %H:%M:%S") or None,
        is_cancelled=case.status == "cancelled",
        changed_since=fmt_time(printed.changed_since) or None,
    )
    reply = steady_reply(config)
    return pd.DiscLabelData(
        meta=meta,
        patient=sheet_patient(case),
        medium=MEDIA_LABELS.get(release.media_kind, "CD"),
        is_usb=release.media_kind == "usb",
        exams=_exams(release),
        contents="Bilder och svarsutlåtande" if release.includes_report else "Bilder",
        sender=config.department or config.name,
        sender_phone=phone_with_hours(reply),
        sender_fax=fax_with_hours(reply),
        recipient=_recipient(release),
        delivery=DELIVERY_LABELS.get(release.delivery, ""),
        released_on=fmt_time(release.created_at, "%Y-%m-%d"),
        routine_notes=_routine_notes(release),
        label_reference=disc_label_reference("release", release.id),
    )


def disc_label_content_version(data: pd.DiscLabelData) -> int:
    """The version of what the label shows, which the KOPIA rule compares.

    A digest of what is printed (the rule only asks whether two prints show the same), kept
    within a 32-bit column. The site's own wording (its department, its phone) is left out:
    a renamed department is no new label, so a reprint stays a KOPIA. So is the QR's version,
    the case's: a change the label does not print (a move between two real outages, a new
    priority) raises it, and a scan of the first print is still current (sheet_versions
    compares a label's patient only). Its ÖVNING mark is counted.
    """
    shown = dataclasses.replace(
        data,
        meta=pd.SheetMeta(
            case_code=data.meta.case_code,
            qr_payload="",
            is_drill=data.meta.is_drill,
            is_cancelled=data.meta.is_cancelled,
        ),
        # Only what the label prints of the patient: an age turning over is no new label.
        patient=pd.Patient(
            data.patient.name,
            data.patient.id_label,
            data.patient.id_number,
            "",
            earlier_reserve=data.patient.earlier_reserve,
        ),
        sender="",
        sender_phone="",
        sender_fax="",
    )
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") & 0x7FFF_FFFF
