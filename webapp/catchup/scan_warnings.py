"""What the scan station says about a scanned sheet before the secretary keys it into RIS."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select

from ..cases.display import patient_id_display
from ..codes import ScanResult
from ..extensions import db
from ..i18n import gettext as _
from ..models import Case, PrintRecord, RecordVersion
from ..printing.disc_label import DISC_LABEL_DOC as RELEASE_LABEL_DOC
from ..printing.documents import CASE_DOCUMENTS
from ..printing.release_sheet import RELEASE_REPORT_DOC
from ..printing.transfer_disc_label import TRANSFER_DISC_LABEL_DOC
from ..printing.versions import IDENTITY_FIELDS, sheet_versions, versioned_kind
from ..web import local_time

BLANK_DOCS = ("BLR", "BLD", "BLU")
# A released or sent disc's label: its QR names the case, but the case prints no label.
DISC_LABEL_DOC = "ETK"
_KIND_OF_DOC = {doc: kind for kind, doc in CASE_DOCUMENTS.items()}
# Sheets whose QR names one of the case's documents but which the print log names by their
# release or transfer (one entry per recipient or disc, so each first print is no copy).
_LOGGED_AS = {
    CASE_DOCUMENTS["report"]: (RELEASE_REPORT_DOC,),
    DISC_LABEL_DOC: (RELEASE_LABEL_DOC, TRANSFER_DISC_LABEL_DOC),
}


def _printed_as(result: ScanResult) -> ColumnElement[bool] | None:
    """Which print records are prints of the scanned sheet; None for no such sheet."""
    doc = result.doc
    if doc == DISC_LABEL_DOC and result.disc_record is not None:
        # A label that names its release or transfer: that one's prints alone.
        name = RELEASE_LABEL_DOC if result.disc_record == "release" else TRANSFER_DISC_LABEL_DOC
        return PrintRecord.doc == name.format(id=result.disc_record_id)
    kind = _KIND_OF_DOC.get(doc or "")
    # A release's or transfer's entry is its name with the id left out as the prefix.
    prefixes = [name.format(id="") for name in _LOGGED_AS.get(doc or "", ())]
    names = [PrintRecord.doc.startswith(prefix, autoescape=True) for prefix in prefixes]
    if kind is not None:
        names.append(PrintRecord.doc == kind)
    return or_(*names) if names else None


def doc_fits_code(doc: str | None, reserved_kind: str | None) -> bool:
    """Whether a sheet of this document kind can carry a code reserved for this blank kind.

    A blank's QR names its own kind; a case's printed sheets carry the case's code, and only
    a referral blank's code becomes a case's. A typed code names no document.
    """
    if doc is None:
        return True
    if doc in BLANK_DOCS:
        return doc == reserved_kind
    return reserved_kind in (None, "BLR")


def sheet_warnings(case: Case, result: ScanResult) -> list[tuple[str, str]]:
    """(message, flash category) for each thing about this sheet the secretary must know."""
    warnings: list[tuple[str, str]] = []
    name = case.patient_name or _("Namn okänt")
    if case.incident.is_drill:
        # A drill's paper in the red tray of a real outage: its patient is fictional.
        warnings.append((_("Papperet hör till en övning: lägg inte in det i RIS."), "error"))
    if case.status == "cancelled":
        message = _(
            "Ärendet är makulerat (%(reason)s): lägg inte in papperet i RIS.",
            reason=case.cancelled_reason or "–",
        )
        warnings.append((message, "error"))
    if result.doc is None:
        # The check character catches one typing error; two can give another valid code.
        message = _(
            "Koden är inskriven för hand: kontrollera att papperet gäller %(name)s, %(id)s.",
            name=name,
            id=patient_id_display(case),
        )
        warnings.append((message, "info"))
    elif result.doc in BLANK_DOCS:
        # A filled-in blank is handwritten, and a reprint puts a second sheet with the same
        # code about: the paper's patient must be compared with the case's.
        message = _(
            "Blanketten %(code)s är redan införd för %(name)s, %(id)s. "
            "Kontrollera att papperet gäller samma patient.",
            # A documentation or report blank joined a case of another code: name the paper's.
            code=result.case_code or case.code,
            name=name,
            id=patient_id_display(case),
        )
        warnings.append((message, "error"))
    if case.incident.ended_at is not None:
        message = _(
            "Driftstoppet som papperet hör till är avslutat %(when)s: efterregistreringen "
            "är stängd och ärendet kan inte ändras här.",
            when=local_time(case.incident.ended_at),
        )
        warnings.append((message, "info"))
    # The case's history is read once: both the restore check and the version check need it.
    history = _case_history(case, result)
    notice_restore = _restore_after_notice(case, result, history)
    if notice_restore is not None:
        # The notice is printed only while the case is cancelled: no reprint of it exists now,
        # and it never said MAKULERAD, so neither the version nor the restore warning fits.
        message = _(
            "Beskedet till remittenten gäller inte längre: ärendet återställdes %(when)s "
            "(%(reason)s): undersökningen ska göras och ärendet läggas in i RIS.",
            when=local_time(notice_restore.changed_at),
            reason=notice_restore.reason or "–",
        )
        warnings.append((message, "error"))
        restored = None
    elif _notice_never_cancelled(case, result, history):
        # Cancelled on paper and never here, or a notice the database no longer knows (a
        # restored backup): keyed as a live case, the exam would be booked the referrer was
        # told is not done.
        message = _(
            "Papperet är ett besked till remittenten om att undersökningen inte utförs, men "
            "ärendet är inte makulerat här. Makulera ärendet här om undersökningen inte ska "
            "göras; annars ska undersökningen göras och ärendet läggas in i RIS."
        )
        warnings.append((message, "error"))
        restored = None
    else:
        restored = _restored_since_printed(case, result, history)
    if restored is not None:
        message = _(
            "Papperet skrevs ut när ärendet var makulerat och kan säga MAKULERAD, men ärendet "
            "återställdes %(when)s (%(reason)s): det ska läggas in i RIS.",
            when=local_time(restored.changed_at),
            reason=restored.reason or "–",
        )
        warnings.append((message, "info"))
    moved = _moved_out_of_drill_since_printed(case, result, history)
    if moved is not None:
        message = _(
            "Papperet skrevs ut när ärendet låg i en övning och kan säga ÖVNING, men ärendet "
            "flyttades till driftstopp %(id)s %(when)s (%(reason)s): det ska läggas in i RIS.",
            id=(moved.changes or {})["incident_id"][1],
            when=local_time(moved.changed_at),
            reason=moved.reason or "–",
        )
        warnings.append((message, "info"))
    changes = [frozenset(row.changes or ()) for row in history] if history is not None else None
    versions = (
        None
        if notice_restore is not None
        else sheet_versions(case, result.doc, result.version, changes)
    )
    if (
        versions is not None
        and versions[0] < versions[1]
        and _corrected_since(case, result, history)
    ):
        # The paper names another patient than the case now does: keyed from the paper, the
        # exam would go to that patient in RIS.
        message = _(
            "Papperet visar en tidigare identitet: patientens identitet har rättats sedan det "
            "skrevs ut (version %(printed)s, nu %(current)s). Lägg in under identiteten här, "
            "inte papperets.",
            printed=versions[0],
            current=versions[1],
        )
        warnings.append((_with_reprint(message, case, result.doc), "error"))
    elif versions is not None and versions[0] < versions[1]:
        message = _(
            "Papperet är inaktuellt: uppgifterna har ändrats sedan det skrevs ut "
            "(version %(printed)s, nu %(current)s).",
            printed=versions[0],
            current=versions[1],
        )
        warnings.append((_with_reprint(message, case, result.doc), "error"))
    elif versions is not None:
        message = _(
            "Papperet är nyare än uppgifterna här (version %(printed)s, här %(current)s): "
            "något har gått förlorat, t.ex. vid återställning av en säkerhetskopia. "
            "Lägg in från papperet och meddela administratören.",
            printed=versions[0],
            current=versions[1],
        )
        warnings.append((message, "error"))
    return warnings


def _with_reprint(message: str, case: Case, doc: str | None) -> str:
    """The message with where a current sheet of its kind is printed, where one can be."""
    if doc != DISC_LABEL_DOC:
        # The case's own sheets print from its page (while cancelled too, saying MAKULERAD).
        return f"{message} {_('Skriv ut på nytt.')}"
    if case.status == "cancelled":
        # A cancelled case's disc labels are refused: there is no new one to print.
        return message
    # The scan opens the case, which prints no disc label: its release or transfer does.
    return f"{message} {_('Skriv ut en ny skivetikett från utlämnandet eller överföringen.')}"


def _restore_after_notice(
    case: Case, result: ScanResult, history: list[RecordVersion] | None
) -> RecordVersion | None:
    """The last restore of a case whose notice to the referrer (printed only while it was
    cancelled) was scanned; None for any other sheet, or a case cancelled now."""
    if result.doc != CASE_DOCUMENTS["cancel-notice"] or case.status == "cancelled":
        return None
    # A case is cancelled and restored in turn: every second such change is a restore.
    toggles = [row for row in history or () if "cancelled_reason" in (row.changes or {})]
    restores = toggles[1::2]
    return restores[-1] if restores else None


def _notice_never_cancelled(
    case: Case, result: ScanResult, history: list[RecordVersion] | None
) -> bool:
    """Whether the scanned sheet is a notice to the referrer of a case never cancelled here."""
    if result.doc != CASE_DOCUMENTS["cancel-notice"] or case.status == "cancelled":
        return False
    return history is not None and not any(
        "cancelled_reason" in (row.changes or {}) for row in history
    )


def _case_history(case: Case, result: ScanResult) -> list[RecordVersion] | None:
    """The case's earlier versions, oldest first, when the sheet is a printed case document
    (a blank or a typed code carries no version to compare: None)."""
    if versioned_kind(result.doc) is None or result.version is None:
        return None
    return list(
        db.session.scalars(
            select(RecordVersion)
            .where(RecordVersion.entity == "case", RecordVersion.entity_id == case.id)
            .order_by(RecordVersion.id)
        )
    )


def _restored_since_printed(
    case: Case, result: ScanResult, history: list[RecordVersion] | None
) -> RecordVersion | None:
    """The restore that followed a print of the scanned sheet made while the case was cancelled.

    Such a sheet says MAKULERAD. Its QR carries the same version as the sheets printed since
    (the patient and the record are unchanged), so the version check cannot tell it apart.
    """
    printed_as = _printed_as(result)
    if case.status == "cancelled" or printed_as is None or history is None:
        return None
    # A case is cancelled and restored in turn: each pair of such changes is one cancelled span.
    toggles = [row for row in history if "cancelled_reason" in (row.changes or {})]
    spans = list(zip(toggles[::2], toggles[1::2], strict=False))
    if not spans:
        return None
    printed = _print_times(case, printed_as, result.version)
    for cancelled, restored in reversed(spans):
        if any(cancelled.changed_at <= at < restored.changed_at for at in printed):
            return restored
    return None


def _moved_out_of_drill_since_printed(
    case: Case, result: ScanResult, history: list[RecordVersion] | None
) -> RecordVersion | None:
    """The move to a real outage that followed a print of the scanned sheet made while the
    case was in a drill.

    Such a sheet says ÖVNING, which tells the secretary to leave it out of RIS. Its QR carries
    the same version as the sheets printed since (a move changes nothing the QR counts), so
    the version check cannot tell it apart.
    """
    printed_as = _printed_as(result)
    if case.incident.is_drill or printed_as is None or history is None:
        return None
    # Each span in a drill runs from the case's start, or a move into one, to a move out.
    spans: list[tuple[datetime | None, RecordVersion]] = []
    since: datetime | None = None
    for row in history:
        was, now = (row.changes or {}).get("in_drill", (None, None))
        if now:
            since = row.changed_at
        elif was:
            spans.append((since, row))
    if not spans:
        return None
    printed = _print_times(case, printed_as, result.version)
    for start, moved in reversed(spans):
        if any((start is None or start <= at) and at < moved.changed_at for at in printed):
            return moved
    return None


def _print_times(
    case: Case, printed_as: ColumnElement[bool], version: int | None
) -> list[datetime]:
    """When the case's sheet (its print records as printed_as names them) of this version was
    printed."""
    return list(
        db.session.scalars(
            select(PrintRecord.at).where(
                PrintRecord.case_id == case.id,
                printed_as,
                PrintRecord.version == version,
            )
        )
    )


def _corrected_since(case: Case, result: ScanResult, history: list[RecordVersion] | None) -> bool:
    """Whether the patient's identity was corrected after the scanned sheet was printed.

    Every print of one version shows the same patient (a correction gives a new version), so
    its first print tells. A sheet of no recorded print is not said to show an earlier one.
    """
    kind = versioned_kind(result.doc)
    corrections = [row for row in history or () if IDENTITY_FIELDS & set(row.changes or ())]
    if kind is None or result.version is None or not corrections:
        return False
    if kind == "cover":
        # Its QR carries the case's version, which each correction's snapshot names.
        return any(row.version >= result.version for row in corrections)
    printed_as = _printed_as(result)
    if printed_as is None:
        return False
    printed = db.session.scalar(
        select(func.min(PrintRecord.at)).where(
            PrintRecord.case_id == case.id,
            printed_as,
            PrintRecord.version == result.version,
        )
    )
    return printed is not None and any(printed < row.changed_at for row in corrections)
