"""The reconciliation batch as plain data: what every export format is written from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Case, CatchupTick, Incident, Report
from ..siteconfig import SiteConfig

FHIR_REPORT_STATUS = {"draft": "partial", "preliminary": "preliminary", "definitive": "final"}


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


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
    modality: str
    clinical_question: str
    history: str
    safety: dict[str, str]
    arrived_via: str
    arrived_at: str
    received_by: str


@dataclass(frozen=True)
class ExamData:
    modality: str
    room: str
    exam_code: str
    exam_text: str
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


@dataclass(frozen=True)
class SignatureData:
    kind: str
    signer: str
    signed_at: str


@dataclass(frozen=True)
class AddendumData:
    author: str
    signed_at: str
    text: str


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


@dataclass(frozen=True)
class StepData:
    step: str
    done: bool
    by: str
    at: str | None


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
    reconciled_at: str | None
    cancelled_reason: str
    documents: list[dict[str, str]] = field(default_factory=list)


def _patient(case: Case) -> PatientData:
    return PatientData(
        name=case.patient_name,
        id_kind=case.patient_id_kind,
        id_value=case.patient_id,
        sex=case.patient_sex,
        birth_date=_iso(case.patient_birth_date),
        approx_age=case.patient_age_approx,
    )


def _referral(case: Case, config: SiteConfig) -> ReferralData | None:
    ref = case.referral
    if ref is None:
        return None
    safety = {
        "contrast_allergy": ref.contrast_allergy,
        "metformin": ref.metformin,
        "pregnancy": ref.pregnancy,
        "pacemaker": ref.pacemaker,
        "implants": ref.implants,
        "implants_note": ref.implants_note,
        "egfr": "" if ref.egfr is None else f"{ref.egfr:g}",
        "creatinine": "" if ref.creatinine is None else f"{ref.creatinine:g}",
        "kidney_measured_on": _iso(ref.kidney_measured_on) or "",
        "kidney_unknown": "yes" if ref.kidney_unknown else "",
    }
    return ReferralData(
        referrer_unit=ref.referrer_unit,
        referrer_clinician=ref.referrer_clinician,
        referrer_phone=ref.referrer_phone,
        reply_fax=ref.reply_fax,
        priority=case.priority,
        priority_label=config.priority_label(case.priority),
        exam_code=ref.exam_code,
        exam_text=ref.exam_text,
        modality=case.modality,
        clinical_question=ref.clinical_question,
        history=ref.history,
        safety=safety,
        arrived_via=ref.arrived_via,
        arrived_at=ref.arrived_at.isoformat(),
        received_by=ref.received_by.display_name,
    )


def _exam(case: Case) -> ExamData | None:
    ex = case.exam
    if ex is None:
        return None
    dose = {
        k: v
        for k, v in (
            ("dlp_mgycm", ex.dlp_mgycm),
            ("ctdivol_mgy", ex.ctdivol_mgy),
            ("dap_gycm2", ex.dap_gycm2),
            ("fluoro_seconds", ex.fluoro_seconds),
        )
        if v is not None
    }
    return ExamData(
        modality=ex.modality,
        room=ex.room,
        exam_code=ex.exam_code,
        exam_text=ex.exam_text,
        started_at=ex.started_at.isoformat(),
        ended_at=_iso(ex.ended_at),
        radiographers=ex.radiographers,
        modality_temp_id=ex.modality_temp_id,
        contrast_agent=ex.contrast_agent,
        contrast_volume_ml=ex.contrast_volume_ml,
        contrast_route=ex.contrast_route,
        dose=dose,
        series_count=ex.series_count,
        image_count=ex.image_count,
        pacs_status=ex.pacs_status,
        pacs_sent_at=_iso(ex.pacs_sent_at),
        complications=ex.complications,
        notes=ex.notes,
        documented_by=ex.documented_by.display_name,
    )


def _report(report: Report | None) -> ReportData | None:
    if report is None:
        return None
    status = "appended" if report.addenda else FHIR_REPORT_STATUS[report.state]
    return ReportData(
        state=report.state,
        fhir_status=status,
        sections=list(report.sections),
        author=report.author_name,
        received_by_fax=report.received_by_fax,
        is_urgent=report.is_urgent,
        signatures=[
            SignatureData(s.kind, s.signer_name, s.signed_at.isoformat()) for s in report.signatures
        ],
        addenda=[
            AddendumData(a.author.display_name, a.signed_at.isoformat(), a.text)
            for a in report.addenda
        ],
    )


def latest_ticks(case_ids: list[int]) -> dict[int, dict[str, CatchupTick]]:
    """The current state of every catch-up step per case (the latest tick wins)."""
    result: dict[int, dict[str, CatchupTick]] = {cid: {} for cid in case_ids}
    if not case_ids:
        return result
    for tick in db.session.scalars(
        select(CatchupTick)
        .where(CatchupTick.case_id.in_(case_ids))
        .order_by(CatchupTick.at, CatchupTick.id)
    ):
        result[tick.case_id][tick.step] = tick
    return result


def build_batch(
    incident: Incident,
    config: SiteConfig,
    *,
    since: datetime | None = None,
    document_urls: dict[int, list[dict[str, str]]] | None = None,
    steps: tuple[str, ...],
) -> list[CaseExport]:
    """Every case of an incident (or those changed since a time) as export data."""
    stmt = (
        select(Case)
        .where(Case.incident_id == incident.id)
        .order_by(Case.created_at, Case.id)
        .options(
            selectinload(Case.incident),
            # Everything the export reads, in a handful of queries rather than several per case.
            selectinload(Case.referral),  # type: ignore[attr-defined]
            selectinload(Case.exam),  # type: ignore[attr-defined]
            selectinload(Case.report).selectinload(Report.signatures),  # type: ignore[attr-defined]
            selectinload(Case.report).selectinload(Report.addenda),  # type: ignore[attr-defined]
            selectinload(Case.catchup),  # type: ignore[attr-defined]
        )
    )
    if since is not None:
        stmt = stmt.where(Case.updated_at > since)
    cases = list(db.session.scalars(stmt))
    ticks = latest_ticks([c.id for c in cases])
    exports = []
    for case in cases:
        record = case.catchup
        case_ticks = ticks[case.id]
        exports.append(
            CaseExport(
                code=case.code,
                status=case.status,
                incident_id=incident.id,
                is_drill=incident.is_drill,
                created_at=case.created_at.isoformat(),
                updated_at=case.updated_at.isoformat(),
                patient=_patient(case),
                referral=_referral(case, config),
                exam=_exam(case),
                report=_report(case.report),
                steps=[
                    StepData(
                        step,
                        bool(case_ticks.get(step) and case_ticks[step].is_done),
                        case_ticks[step].user.display_name if step in case_ticks else "",
                        case_ticks[step].at.isoformat() if step in case_ticks else None,
                    )
                    for step in steps
                ],
                ris_accession=record.ris_accession if record else "",
                ris_exam_number=record.ris_exam_number if record else "",
                verified_by=record.verified_by.display_name
                if record and record.verified_by
                else "",
                verified_at=_iso(record.verified_at) if record else None,
                waived=bool(record and record.waived_at),
                waive_reason=record.waive_reason if record else "",
                reconciled_at=_iso(record.reconciled_at) if record else None,
                cancelled_reason=case.cancelled_reason,
                documents=(document_urls or {}).get(case.id, []),
            )
        )
    return exports
