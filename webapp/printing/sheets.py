"""Plain printforms data built from the database: the only place that knows both sides."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from printforms import data as pd

from ..cases.display import (
    ANSWER_LABELS,
    ARRIVAL_LABELS,
    ID_KIND_LABELS,
    PACS_LABELS,
    SEX_LABELS,
    patient_age,
    patient_id_display,
    patient_masked,
)
from ..codes import make_case_payload, make_incident_payload
from ..extensions import db
from ..models import Case, Incident, UrgentCall, utcnow
from ..numbers import decimal_text
from ..reporting.signed import SignedText, signed_text
from ..siteconfig import SiteConfig
from .documents import CASE_DOCUMENTS
from .versions import case_changes, document_version

STATUS_LABELS = {
    "referral_received": "Remiss mottagen",
    "exam_done": "Undersökt",
    "report_preliminary": "Prel. utlåtande",
    "report_definitive": "Def. utlåtande",
    "keyed_in_ris": "I RIS",
    "closed": "Avslutad",
    "cancelled": "Makulerad",
}
CATCHUP_LABELS = (
    "Bokad i RIS",
    "Undersökningen klarmarkerad i RIS",
    "Bilderna matchade i PACS",
    "Utlåtandet inlagt i RIS",
    "Lagd på radiologens korr-lista",
    "Kontrollerad mot papperet",
)


def fmt_time(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC time as staff read it, in the site's zone."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).strftime(pattern)


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{decimal_text(value)} {unit}"


def _meta(case: Case, kind: str, config: SiteConfig, reprint_at: datetime | None) -> pd.SheetMeta:
    return pd.SheetMeta(
        case_code=case.code,
        qr_payload=make_case_payload(case.code, CASE_DOCUMENTS[kind], document_version(case, kind)),
        department=config.department or config.name,
        is_drill=case.incident.is_drill,
        reprint_at=fmt_time(reprint_at, "%Y-%m-%d %H:%M:%S") if reprint_at else None,
        is_cancelled=case.status == "cancelled",
    )


def _patient(case: Case) -> pd.Patient:
    age = patient_age(case)
    return pd.Patient(
        name=case.patient_name or "Namn okänt",
        id_label=ID_KIND_LABELS[case.patient_id_kind],
        id_number=patient_id_display(case),
        sex=SEX_LABELS.get(case.patient_sex, "Okänt kön"),
        age=("ca " if case.is_unidentified else "") + f"{age} år" if age is not None else "",
    )


def _safety(case: Case) -> tuple[pd.LabeledValue, ...]:
    ref = case.referral
    kidney = (
        ", ".join(
            p
            for p in (
                f"eGFR {_num(ref.egfr, '')}".strip() if ref.egfr is not None else "",
                f"kreatinin {_num(ref.creatinine, 'µmol/l')}" if ref.creatinine is not None else "",
                f"({ref.kidney_measured_on})" if ref.kidney_measured_on else "",
                "okänd" if ref.kidney_unknown else "",
            )
            if p
        )
        or "–"
    )
    implants = ANSWER_LABELS[ref.implants] + (f": {ref.implants_note}" if ref.implants_note else "")
    return (
        pd.LabeledValue("Kontrastmedelsallergi", ANSWER_LABELS[ref.contrast_allergy]),
        pd.LabeledValue("Njurfunktion", kidney),
        pd.LabeledValue("Metformin", ANSWER_LABELS[ref.metformin]),
        pd.LabeledValue("Graviditet", ANSWER_LABELS[ref.pregnancy]),
        pd.LabeledValue("Pacemaker/ICD", ANSWER_LABELS[ref.pacemaker]),
        pd.LabeledValue("Implantat", implants),
    )


def referral_sheet(case: Case, config: SiteConfig, reprint_at: datetime | None) -> pd.ReferralData:
    ref = case.referral
    return pd.ReferralData(
        meta=_meta(case, "referral", config, reprint_at),
        patient=_patient(case),
        referrer=pd.Referrer(
            ref.referrer_unit, ref.referrer_clinician, ref.referrer_phone, ref.reply_fax
        ),
        priority=config.priority_label(case.priority),
        requested_exam=ref.exam_text + (" (med kontrast)" if ref.contrast_planned else ""),
        modality=config.modality_name(case.modality),
        clinical_question=ref.clinical_question,
        history=ref.history,
        safety=_safety(case),
        arrival=f"{ARRIVAL_LABELS[ref.arrived_via]} {fmt_time(ref.arrived_at)}",
        received_by=ref.received_by.display_name,
    )


def exam_sheet(case: Case, config: SiteConfig, reprint_at: datetime | None) -> pd.ExamData:
    ex = case.exam
    series = " / ".join(str(v) if v is not None else "–" for v in (ex.series_count, ex.image_count))
    return pd.ExamData(
        meta=_meta(case, "exam", config, reprint_at),
        patient=_patient(case),
        modality_room=config.modality_name(ex.modality) + (f" / {ex.room}" if ex.room else ""),
        exam_performed=ex.exam_text,
        started_at=fmt_time(ex.started_at),
        ended_at=fmt_time(ex.ended_at),
        radiographers=ex.radiographers,
        modality_temp_id=ex.modality_temp_id,
        contrast_agent=ex.contrast_agent,
        contrast_volume=_num(ex.contrast_volume_ml, "ml"),
        contrast_route=ex.contrast_route,
        dose_dlp=_num(ex.dlp_mgycm, "mGy·cm"),
        dose_ctdivol=_num(ex.ctdivol_mgy, "mGy"),
        dose_dap=_num(ex.dap_gycm2, "Gy·cm²"),
        fluoroscopy_time=_num(ex.fluoro_seconds, "s"),
        series_images=f"{series} (serier / bilder)",
        pacs_status=PACS_LABELS[ex.pacs_status],
        pacs_sent_at=fmt_time(ex.pacs_sent_at),
        complications=ex.complications,
        notes=ex.notes,
    )


def _fax(case: Case, config: SiteConfig, to_unit: str, to_fax: str) -> pd.FaxHeader:
    return pd.FaxHeader(
        to_unit=to_unit,
        to_fax=to_fax,
        from_department=config.department or config.name,
        from_fax=config.fax,
        from_phone=config.phone,
        sent_at=fmt_time(utcnow()),
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
    # A report saved since its signature names its signer, not whoever saved it last.
    return case.report.author_name if text.is_current else text.signer_name


def _sections(text: SignedText) -> tuple[tuple[str, str], ...]:
    return tuple((s["heading"], s["text"]) for s in text.sections)


def report_sheet(case: Case, config: SiteConfig, reprint_at: datetime | None) -> pd.ReportData:
    report = case.report
    text = _signed(case)
    state, signed_at, preliminary = _signature(case)
    call = db.session.scalar(
        select(UrgentCall)
        .where(UrgentCall.case_id == case.id)
        .order_by(UrgentCall.called_at.desc())
        .limit(1)
    )
    return pd.ReportData(
        meta=_meta(case, "report", config, reprint_at),
        patient=_patient(case),
        fax=_fax(case, config, case.referral.referrer_unit, case.referral.reply_fax),
        exam=case.exam.exam_text if case.exam else case.referral.exam_text,
        sections=_sections(text),
        radiologist=_radiologist(case, text),
        signature_state=state,
        signed_at=signed_at,
        is_preliminary=preliminary,
        addenda=tuple(
            pd.Addendum(a.author.display_name, fmt_time(a.signed_at), a.text)
            for a in report.addenda
        ),
        urgent_call=pd.UrgentCall(
            fmt_time(call.called_at), call.called_by.display_name, call.called_person, call.note
        )
        if call
        else None,
        received_by_fax_from=report.author_name if report.received_by_fax else None,
    )


def cover_sheet(case: Case, config: SiteConfig, reprint_at: datetime | None) -> pd.RedTrayData:
    from .documents import available_documents

    names = {"referral": "Remiss", "exam": "Dokumentation", "report": "Utlåtande"}
    changes = case_changes(case.id)
    documents = tuple(
        f"{names[k]} v{document_version(case, k, changes)}"
        for k in available_documents(case)
        if k in names
    )
    steps = CATCHUP_LABELS if config.four_eyes else CATCHUP_LABELS[:-1]
    return pd.RedTrayData(
        meta=_meta(case, "cover", config, reprint_at),
        patient=_patient(case),
        exam=case.exam.exam_text if case.exam else case.referral.exam_text,
        documents=documents,
        catch_up_steps=steps,
    )


def _sex_age(case: Case) -> tuple[str, str]:
    age = patient_age(case)
    return SEX_LABELS.get(
        case.patient_sex, "Okänt kön"
    ), f"{age} år" if age is not None else "okänd"


def anonymised_referral_sheet(
    case: Case, config: SiteConfig, reprint_at: datetime | None
) -> pd.AnonymisedReferralData:
    ref = case.referral
    sex, age = _sex_age(case)
    return pd.AnonymisedReferralData(
        meta=_meta(case, "referral-anon", config, reprint_at),
        sex=sex,
        age=age,
        referring_unit=ref.referrer_unit,
        reply_to=f"{config.department or config.name}, fax {config.fax}",
        priority=config.priority_label(case.priority),
        requested_exam=ref.exam_text,
        modality=config.modality_name(case.modality),
        clinical_question=ref.clinical_question,
        history=ref.history,
        safety=_safety(case),
    )


def anonymised_report_sheet(
    case: Case, config: SiteConfig, reprint_at: datetime | None
) -> pd.AnonymisedReportData:
    text = _signed(case)
    state, signed_at, preliminary = _signature(case)
    sex, age = _sex_age(case)
    return pd.AnonymisedReportData(
        meta=_meta(case, "report-anon", config, reprint_at),
        sex=sex,
        age=age,
        fax=_fax(case, config, case.referral.referrer_unit, case.referral.reply_fax),
        exam=case.exam.exam_text if case.exam else case.referral.exam_text,
        sections=_sections(text),
        radiologist=_radiologist(case, text),
        signature_state=state,
        signed_at=signed_at,
        is_preliminary=preliminary,
    )


BUILDERS: dict[str, Callable[[Case, SiteConfig, datetime | None], pd.CaseDocument]] = {
    "cover": cover_sheet,
    "referral": referral_sheet,
    "exam": exam_sheet,
    "report": report_sheet,
    "referral-anon": anonymised_referral_sheet,
    "report-anon": anonymised_report_sheet,
}


def incident_list_sheet(
    incident: Incident,
    config: SiteConfig,
    *,
    masked: bool,
    printed_at: datetime,
    status_of: dict[str, str] | None = None,
    only: set[str] | None = None,
) -> pd.IncidentListData:
    """One line per case of the incident (or of the codes in only); masked for a list that
    leaves the department."""
    cases = db.session.scalars(
        select(Case)
        .where(Case.incident_id == incident.id)
        .order_by(Case.created_at)
        # One query for every referral, not one per line (10,000 at a large batch's checklist).
        .options(selectinload(Case.referral))  # type: ignore[attr-defined]
    ).all()
    rows = tuple(
        pd.IncidentCaseRow(
            case_code=c.code,
            patient=patient_masked(c)
            if masked
            else f"{c.patient_name or 'Namn okänt'}, {patient_id_display(c)}",
            exam=c.referral.exam_text if c.referral else "",
            priority=config.priority_label(c.priority),
            status=(status_of or {}).get(c.code) or STATUS_LABELS.get(c.status, c.status),
            waiting_minutes=""
            if c.status in ("closed", "cancelled")
            else str(max(0, int((printed_at - c.created_at).total_seconds() // 60))),
        )
        for c in cases
        # Filtered here, not in SQL: a batch's codes can outnumber a database's parameter limit.
        if only is None or c.code in only
    )
    return pd.IncidentListData(
        title=incident.title,
        incident_label=f"Driftstopp {incident.id}",
        qr_payload=make_incident_payload(incident.id, 1),
        scenario=incident.scenario,
        started_at=fmt_time(incident.started_at),
        cases=rows,
        department=config.department or config.name,
        is_drill=incident.is_drill,
        printed_at=fmt_time(printed_at),
    )


def reconciliation_pdf(incident_id: int, cases: list) -> bytes:  # type: ignore[type-arg]
    """The reconciliation checklist: the incident list with each case's catch-up state."""
    from printforms import render_incident_list

    from ..sites import site_config

    incident = db.session.get(Incident, incident_id)
    assert incident is not None
    config = site_config(incident.site)
    status_of = {}
    for c in cases:
        done = sum(1 for s in c.steps if s.done)
        if c.waived:
            # Who took it out and why stays on the paper the secretaries tick off.
            when = fmt_time(datetime.fromisoformat(c.waived_at)) if c.waived_at else ""
            status_of[c.code] = f"Undantagen: {c.waive_reason} ({c.waived_by}, {when})"
        elif c.status == "cancelled":
            # Why it is not keyed (a duplicate names the case that is) is on the paper too.
            status_of[c.code] = (
                f"Makulerad: {c.cancelled_reason}" if c.cancelled_reason else "Makulerad"
            )
        else:
            status_of[c.code] = f"{done}/{len(c.steps)} steg" + (" ✔" if c.verified_at else "")
    # Exactly the batch's cases: a 'changed only' checklist lists the changes, not everything.
    data = incident_list_sheet(
        incident,
        config,
        masked=False,
        printed_at=utcnow(),
        status_of=status_of,
        only=set(status_of),
    )
    return render_incident_list(data)


BLANK_KINDS: dict[str, pd.BlankKind] = {"BLR": "referral", "BLD": "exam", "BLU": "report"}


def blank_stack_pdf(
    codes: list[str], doc_kind: str, config: SiteConfig, user: object, *, reprint: bool = False
) -> bytes:
    """Blank binder sheets for reserved codes, one sheet per code, logged as a print."""
    from printforms import render_blank_stack

    from ..audit import log_event
    from ..storage import write_transaction

    # A reprint puts a second sheet with the same code into circulation: the mark lets staff
    # tell it from the first one if both turn up filled in.
    reprint_at = fmt_time(utcnow(), "%Y-%m-%d %H:%M:%S") if reprint else None
    sheets = [
        pd.BlankSheetData(
            kind=BLANK_KINDS[doc_kind],
            case_code=code,  # type: ignore[arg-type]
            qr_payload=make_case_payload(code, doc_kind, 1),
            department=config.department or config.name,
            priorities=tuple(p.label for p in config.priorities),
            reprint_at=reprint_at,
        )
        for code in codes
    ]
    pdf = render_blank_stack(sheets)
    with write_transaction():
        log_event(
            "print",
            user=user,  # type: ignore[arg-type]
            detail=f"{len(codes)} blanketter {doc_kind}{' (kopia)' if reprint else ''}: "
            f"{codes[0]}–{codes[-1]}",
        )
    return pdf
