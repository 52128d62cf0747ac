"""Plain printforms data of a case's referral, exam and report, built from the database.

The red tray's cover and the cancel notice: cover_sheets.py; shared parts: sheet_parts.py;
the incident's lists: list_sheets.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from printforms import data as pd

from ..anonymise import FreeText, scrub, without_identity
from ..call_rule import has_urgent_finding
from ..cases.display import (
    ANSWER_LABELS,
    ARRIVAL_LABELS,
    CONTRAST_ROUTE_LABELS,
    PACS_LABELS,
    SEX_LABELS,
    infection_text,
    mobility_text,
)
from ..cases.fields import site_today
from ..cases.identity_history import identities_had
from ..cases.laterality import exam_with_side, side_label, sides_differ
from ..cases.safety_risks import case_safety_risks
from ..extensions import db
from ..models import Case, UrgentCall
from ..numbers import decimal_text, lab_text
from ..protocol_rule import protocol_of
from ..reporting.signed import SignedText, signed_text
from ..siteconfig import SiteConfig
from .cover_sheets import cancel_notice_sheet, cover_sheet
from .reply_contact import phones_text, site_reply_now
from .services import Printed
from .sheet_parts import (
    _age_text,
    _fax,
    _meta,
    _named_exam,
    _requested_exam,
    fmt_time,
    sheet_patient,
)


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{decimal_text(value)} {unit}"


def _safety(case: Case) -> tuple[pd.LabeledValue, ...]:
    ref = case.referral
    values = ", ".join(
        p
        for p in (
            # As the lab gave them: "eGFR >90".
            f"eGFR {lab_text(ref.egfr, ref.egfr_bound)}" if ref.egfr is not None else "",
            f"kreatinin {lab_text(ref.creatinine, ref.creatinine_bound)} µmol/l"
            if ref.creatinine is not None
            else "",
            "okänd" if ref.kidney_unknown else "",
        )
        if p
    )
    # The date belongs to the values it follows, as on the case page: "eGFR 72 (2026-01-14)".
    measured = f"({ref.kidney_measured_on})" if ref.kidney_measured_on else ""
    kidney = " ".join(p for p in (values, measured) if p) or "–"
    implants = ANSWER_LABELS[ref.implants] + (f": {ref.implants_note}" if ref.implants_note else "")
    return (
        pd.LabeledValue("Kontrastmedelsallergi", ANSWER_LABELS[ref.contrast_allergy]),
        pd.LabeledValue("Njurfunktion", kidney),
        pd.LabeledValue("Metformin", ANSWER_LABELS[ref.metformin]),
        pd.LabeledValue("Graviditet", ANSWER_LABELS[ref.pregnancy]),
        pd.LabeledValue("Pacemaker/ICD", ANSWER_LABELS[ref.pacemaker]),
        pd.LabeledValue("Implantat", implants),
        # Not identifying: on the anonymised referral too, for the reviewer's department.
        pd.LabeledValue("Smitta/isolering", infection_text(ref.infection, ref.infection_note)),
        pd.LabeledValue("Förflyttning", mobility_text(ref.mobility)),
    )


def _warnings(case: Case, config: SiteConfig) -> tuple[str, ...]:
    # In Swedish, as every sheet: the paper goes to the fax and the red tray, not to one user.
    return tuple(risk.text() for risk in case_safety_risks(case, config))


def _performed_exam(case: Case) -> str:
    ex, ref = case.exam, case.referral
    text = exam_with_side(ex.exam_text, ex.side)
    if ref is not None and sides_differ(ref.side, ex.side):
        # On the paper in the red tray too: a wrong side is a wrong exam.
        referred = side_label(ref.side).lower()
        text += f" – OBS! annan sida än remissen ({referred}), bekräftat vid dokumentationen"
    return text


def referral_sheet(case: Case, config: SiteConfig, printed: Printed) -> pd.ReferralData:
    ref = case.referral
    return pd.ReferralData(
        meta=_meta(case, "referral", config, printed),
        patient=sheet_patient(case),
        referrer=pd.Referrer(
            ref.referrer_unit, ref.referrer_clinician, ref.referrer_phone, ref.reply_fax
        ),
        priority=config.priority_label(case.priority),
        requested_exam=_requested_exam(case),
        modality=config.modality_name(case.modality),
        clinical_question=ref.clinical_question,
        history=ref.history,
        safety=_safety(case),
        arrival=f"{ARRIVAL_LABELS[ref.arrived_via]} {fmt_time(ref.arrived_at)}",
        received_by=ref.received_by.display_name,
        warnings=_warnings(case, config),
        **_protocol(case),
    )


def _protocol(case: Case) -> dict[str, str]:
    """The radiologist's instruction and its byline, as the referral sheet prints them."""
    note = protocol_of(case)
    if note is None:
        return {}
    written = f"{note.by} {fmt_time(note.written_at)}"
    if note.after_exam_start:
        written += f" – efter att undersökningen startade ({fmt_time(note.exam_started_at)})"
    return {"protocol": note.text, "protocol_written": written}


def exam_sheet(case: Case, config: SiteConfig, printed: Printed) -> pd.ExamData:
    ex, ref = case.exam, case.referral
    counts = (ex.series_count, ex.image_count)
    series = " / ".join(str(v) if v is not None else "–" for v in counts)
    return pd.ExamData(
        meta=_meta(case, "exam", config, printed),
        patient=sheet_patient(case),
        modality_room=config.modality_name(ex.modality) + (f" / {ex.room}" if ex.room else ""),
        exam_performed=_performed_exam(case),
        started_at=fmt_time(ex.started_at),
        ended_at=fmt_time(ex.ended_at),
        radiographers=ex.radiographers,
        modality_temp_id=ex.modality_temp_id,
        contrast_agent=ex.contrast_agent,
        contrast_volume=_num(ex.contrast_volume_ml, "ml"),
        contrast_route=CONTRAST_ROUTE_LABELS.get(ex.contrast_route, ex.contrast_route),
        contrast_batch=ex.contrast_batch or ("okänt" if ex.contrast_batch_unknown else ""),
        patient_weight=_num(ex.patient_weight_kg, "kg"),
        # In the referral sheet's words: who prepares the room and moves the patient reads them.
        infection=infection_text(ref.infection, ref.infection_note) if ref else "",
        mobility=mobility_text(ref.mobility) if ref else "",
        # Below the CTDIvol, the DLP reads as swapped: the sheet says it was confirmed as typed.
        dose_dlp=_num(ex.dlp_mgycm, "mGy·cm")
        + (" (kort skanning, bekräftad)" if ex.short_scan_confirmed else ""),
        dose_ctdivol=_num(ex.ctdivol_mgy, "mGy"),
        dose_dap=_num(ex.dap_gycm2, "Gy·cm²"),
        fluoroscopy_time=_num(ex.fluoro_seconds, "s"),
        # Neither count: the sheet's "–", as in its other empty boxes, not "– / –".
        series_images=f"{series} (serier / bilder)" if any(v is not None for v in counts) else "",
        pacs_status=PACS_LABELS[ex.pacs_status],
        pacs_sent_at=fmt_time(ex.pacs_sent_at),
        complications=ex.complications,
        notes=ex.notes,
        warnings=_warnings(case, config),
    )


def _signature(case: Case) -> tuple[str, str, bool]:
    report = case.report
    if report.state == "definitive":
        return "Definitivt signerat", fmt_time(report.definitive_at), False
    return "Preliminärt signerat", fmt_time(report.preliminary_at), True


def _signed(case: Case) -> SignedText:
    # Only signed text leaves as the report: a preliminary saved since without a signature
    # still prints as signed, and by whom.
    text = signed_text(db.session, case.report)
    if text is None:
        raise ValueError(f"Case {case.id} has no signed report to print.")
    return text


def _radiologist(case: Case, text: SignedText) -> str:
    return text.author(case.report.author_name)


def _addenda(case: Case) -> tuple[pd.Addendum, ...]:
    return tuple(
        pd.Addendum(a.author.display_name, fmt_time(a.signed_at), a.text, a.is_urgent)
        for a in case.report.addenda
    )


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


def _urgent_calls(case: Case) -> tuple[pd.UrgentCall, ...]:
    """Every call about an urgent finding in the order made, each after the addenda signed
    before it. A call typed to the minute of an addendum's signing comes after it: the form
    takes minutes, and an urgent addendum is phoned about once signed."""
    calls = db.session.scalars(
        select(UrgentCall)
        .options(joinedload(UrgentCall.called_by))
        .where(UrgentCall.case_id == case.id)
        .order_by(UrgentCall.called_at, UrgentCall.id)
    )
    signed = [_minute(a.signed_at) for a in case.report.addenda]
    return tuple(
        pd.UrgentCall(
            fmt_time(call.called_at),
            call.called_by.display_name,
            call.called_person,
            call.note,
            after_addenda=sum(1 for at in signed if at <= call.called_at),
        )
        for call in calls
    )


def _sections(text: SignedText) -> tuple[tuple[str, str], ...]:
    return tuple((s["heading"], s["text"]) for s in text.sections)


def _referrer_fax(case: Case, config: SiteConfig) -> pd.FaxHeader:
    """The report's fax header: to the referring unit and the clinician who asked."""
    ref = case.referral
    return _fax(case, config, ref.referrer_unit, ref.reply_fax, ref.referrer_clinician)


def _admin_fax(case: Case, config: SiteConfig) -> pd.FaxHeader:
    """The anonymised report's header: to the RIS administrator, whom the routine hands the
    reviewer's faxed reports. Never the referrer: they get the report with the identity."""
    contact = config.contacts.get(config.routines.external_reviewer.admin_contact)
    if contact is None:
        return replace(_fax(case, config, "RIS-administratören", ""), to_label="Kontakt")
    # Where the report goes (its fax, else its e-mail) and every phone to ask about it, as the
    # sender's "Fax / telefon" and as the other sheets give a contact's phones ("… eller …").
    reach = [("Fax", contact.fax), ("E-post", contact.email)]
    label, value = next(((k, v) for k, v in reach if v), ("", ""))
    phones = phones_text(contact)
    if value and phones:
        label, value = f"{label} / telefon", f"{value} / {phones}"
    elif phones:
        label, value = "Telefon", phones
    return replace(_fax(case, config, contact.name, value), to_label=label or "Kontakt")


def report_sheet(case: Case, config: SiteConfig, printed: Printed) -> pd.ReportData:
    report = case.report
    text = _signed(case)
    state, signed_at, preliminary = _signature(case)
    return pd.ReportData(
        meta=_meta(case, "report", config, printed),
        patient=sheet_patient(case),
        fax=_referrer_fax(case, config),
        exam=_named_exam(case),
        sections=_sections(text),
        radiologist=_radiologist(case, text),
        signature_state=state,
        signed_at=signed_at,
        is_preliminary=preliminary,
        addenda=_addenda(case),
        urgent_calls=_urgent_calls(case),
        received_by_fax_from=report.author_name if report.received_by_fax else None,
        is_urgent=has_urgent_finding(report),
        read_on_note=text.read_on_note,
    )


def _sex_age(case: Case) -> tuple[str, str]:
    return SEX_LABELS.get(case.patient_sex, "Okänt kön"), _age_text(case) or "okänd"


def anonymised_referral_text(case: Case, config: SiteConfig) -> FreeText:
    """The anonymised referral's free text as it prints: the patient's identity out of it."""
    ref = case.referral
    typed = FreeText(
        requested_exam=_requested_exam(case),
        clinical_question=ref.clinical_question,
        history=ref.history,
        safety=tuple((item.label, item.value) for item in _safety(case)),
        warnings=_warnings(case, config),
        referring_unit=ref.referrer_unit,
        referrer_clinician=ref.referrer_clinician,
        referrer_phone=ref.referrer_phone,
    )
    current, *earlier = identities_had(db.session, case)
    return without_identity(typed, current, site_today(), earlier)


def anonymised_referral_sheet(
    case: Case, config: SiteConfig, printed: Printed
) -> pd.AnonymisedReferralData:
    sex, age = _sex_age(case)
    text = anonymised_referral_text(case, config)
    return pd.AnonymisedReferralData(
        meta=_meta(case, "referral-anon", config, printed),
        sex=sex,
        age=age,
        referring_unit=text.referring_unit,
        referrer_clinician=text.referrer_clinician,
        referrer_phone=text.referrer_phone,
        reply_to=site_reply_now(config).reply_to,
        priority=config.priority_label(case.priority),
        requested_exam=text.requested_exam,
        modality=config.modality_name(case.modality),
        clinical_question=text.clinical_question,
        history=text.history,
        safety=tuple(pd.LabeledValue(label, value) for label, value in text.safety),
        warnings=text.warnings,
        text_removed=text.removed > 0,
    )


@dataclass(frozen=True)
class _AnonymisedReportText:
    exam: str
    sections: tuple[tuple[str, str], ...]
    addenda: tuple[pd.Addendum, ...]
    calls: tuple[pd.UrgentCall, ...]
    removed: int


def _anonymised_report_text(case: Case, text: SignedText) -> _AnonymisedReportText:
    """The report's sections, addenda and calls as the anonymised report prints them, and how
    many places lost the patient's identity: a report, or a call's note, may name them as the
    referral did. The person called is scrubbed too: staff, but typed by hand. So is the exam
    performed: typed by hand when not in the catalogue, as the referral's exam is."""
    sections, addenda, calls = _sections(text), _addenda(case), _urgent_calls(case)
    current, *earlier = identities_had(db.session, case)
    typed = [_named_exam(case)] + [body for _, body in sections] + [a.text for a in addenda]
    typed += [part for c in calls for part in (c.recipient, c.note)]
    scrubbed = [scrub(body, current, site_today(), earlier) for body in typed]
    clean = iter(s.text for s in scrubbed)
    return _AnonymisedReportText(
        exam=next(clean),
        sections=tuple((heading, next(clean)) for heading, _ in sections),
        addenda=tuple(replace(a, text=next(clean)) for a in addenda),
        calls=tuple(replace(c, recipient=next(clean), note=next(clean)) for c in calls),
        removed=sum(s.removed for s in scrubbed),
    )


def anonymised_report_sheet(
    case: Case, config: SiteConfig, printed: Printed
) -> pd.AnonymisedReportData:
    text = _signed(case)
    state, signed_at, preliminary = _signature(case)
    sex, age = _sex_age(case)
    anonymised = _anonymised_report_text(case, text)
    return pd.AnonymisedReportData(
        meta=_meta(case, "report-anon", config, printed),
        sex=sex,
        age=age,
        fax=_admin_fax(case, config),
        exam=anonymised.exam,
        sections=anonymised.sections,
        radiologist=_radiologist(case, text),
        signature_state=state,
        signed_at=signed_at,
        is_preliminary=preliminary,
        addenda=anonymised.addenda,
        urgent_calls=anonymised.calls,
        is_urgent=has_urgent_finding(case.report),
        text_removed=anonymised.removed > 0,
    )


BUILDERS: dict[str, Callable[[Case, SiteConfig, Printed], pd.CaseDocument]] = {
    "cover": cover_sheet,
    "referral": referral_sheet,
    "exam": exam_sheet,
    "report": report_sheet,
    "referral-anon": anonymised_referral_sheet,
    "report-anon": anonymised_report_sheet,
    "cancel-notice": cancel_notice_sheet,
}
