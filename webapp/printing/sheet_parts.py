"""What every case sheet prints alike: its header and QR, the patient, the fax header, the exam."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from printforms import data as pd

from ..cases.display import ID_KIND_LABELS, SEX_LABELS, patient_age, patient_id_display
from ..cases.laterality import exam_with_side
from ..codes import make_case_payload
from ..models import Case, utcnow
from ..siteconfig import SiteConfig
from ..web import local_time_marked
from .changed_parts import changed_parts
from .documents import CASE_DOCUMENTS
from .reply_contact import site_reply_now
from .services import Printed
from .versions import document_version


def fmt_time(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC time as staff read it, in the site's zone; a clock time in the hour the clocks go
    back with its offset, as the case page shows it: unmarked, the red tray's documentation
    reads as an exam that ended before it started, and RIS is keyed from it."""
    if "%H" in pattern:
        return local_time_marked(value, pattern)
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).strftime(pattern)


def _meta(case: Case, kind: str, config: SiteConfig, printed: Printed) -> pd.SheetMeta:
    meta = pd.SheetMeta(
        case_code=case.code,
        qr_payload=make_case_payload(case.code, CASE_DOCUMENTS[kind], document_version(case, kind)),
        department=config.department or config.name,
        is_drill=case.incident.is_drill,
        is_cancelled=case.status == "cancelled",
    )
    return marked(meta, printed, sheet_changes(case, kind, printed))


def sheet_changes(case: Case, kind: str, printed: Printed) -> tuple[str, ...]:
    """What kinds of the sheet's content changed since its first print; none unless ÄNDRAD."""
    if printed.changed_since is None:
        return ()
    return changed_parts(case, kind, printed.changed_since)


def marked(meta: pd.SheetMeta, printed: Printed, changes: tuple[str, ...] = ()) -> pd.SheetMeta:
    """The header as printed now: KOPIA and ÄNDRAD (with what changed) are all that printed
    changes of a sheet."""
    return replace(
        meta,
        reprint_at=fmt_time(printed.reprint_at, "%Y-%m-%d %H:%M:%S")
        if printed.reprint_at
        else None,
        changed_since=fmt_time(printed.changed_since) or None,
        changed_parts=changes if printed.changed_since is not None else (),
    )


def sheet_patient(case: Case) -> pd.Patient:
    """The patient as every case sheet prints them."""
    # Here, not at the top: the catch-up package imports the printing one.
    from ..catchup.identities import earlier_identities_of

    return pd.Patient(
        name=case.patient_name or "Namn okänt",
        id_label=ID_KIND_LABELS[case.patient_id_kind],
        id_number=patient_id_display(case),
        sex=SEX_LABELS.get(case.patient_sex, "Okänt kön"),
        age=_age_text(case) or "",
        earlier_reserve=", ".join(
            e.id_display for e in earlier_identities_of(case) if e.id_kind == "reserve"
        ),
    )


def _age_text(case: Case) -> str | None:
    age = patient_age(case)
    if age is None:
        return None
    # An unidentified patient's age is guessed: "ca", as the case page says it.
    return f"{'ca ' if case.is_unidentified else ''}{age} år"


def _requested_exam(case: Case) -> str:
    # On the anonymised referral too: its reviewer reads the kidney and allergy answers by it.
    ref = case.referral
    exam = exam_with_side(ref.exam_text, ref.side)
    return exam + (" (med kontrast)" if ref.contrast_planned else "")


def _named_exam(case: Case) -> str:
    """The exam as the report and cover sheets name it: as performed, else as referred."""
    if case.exam is not None:
        return exam_with_side(case.exam.exam_text, case.exam.side)
    return exam_with_side(case.referral.exam_text, case.referral.side)


def _fax(
    case: Case, config: SiteConfig, to_unit: str, to_fax: str, to_clinician: str = ""
) -> pd.FaxHeader:
    reply = site_reply_now(config)
    return pd.FaxHeader(
        to_unit=to_unit,
        to_fax=to_fax,
        to_clinician=to_clinician,
        from_department=config.department or config.name,
        from_fax=reply.fax,
        from_phone=reply.phone,
        sent_at=fmt_time(utcnow()),
        from_hours=reply.hours,
        then_fax=reply.then_fax,
        then_phone=reply.then_phone,
    )
