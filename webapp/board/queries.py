"""The board's rows: one query, sorted by stage, priority and waiting time in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Row,
    Select,
    bindparam,
    case,
    func,
    literal,
    select,
)

from ..cases.display import MaskedPatient, mask_patients
from ..cases.forms import may_be_pregnant
from ..cases.laterality import SIDE_SHORT, sides_differ
from ..cases.waiting import awaits_doc_blank, awaits_report_blank, overdue_cutoff
from ..dispatch_rule import identity_refax_clause, needs_fax_clause
from ..extensions import db
from ..i18n import gettext
from ..incidents.closing import awaiting_signature
from ..models import (
    Case,
    ExamRecord,
    Referral,
    utcnow,
)
from ..pacs_rule import only_on_modality_clause
from ..restore_call_rule import needs_restore_call_clause
from ..reviewer_rule import cases_awaiting_reviewer
from ..second_look_rule import awaits_second_look_clause
from ..siteconfig import SiteConfig
from ..siteconfig_pregnancy import PregnancyAges
from ..siteconfig_safety import SafetyLimits
from ..waiver_rule import waiver_pending_clause
from . import clauses
from .safety_clauses import Asking, contrast_unanswered, kidney_date_risks, risk_flags, safety_flags


@dataclass(frozen=True)
class BoardRow:
    case_id: int
    code: str
    patient: MaskedPatient
    exam: str
    modality: str
    priority: str
    priority_label: str
    priority_rank: int
    status: str
    arrived_at: datetime
    waiting_minutes: int
    needs_call: bool = False
    # Restored after its referrer was faxed that the exam will not be done (restore_call_rule).
    needs_restore_call: bool = False
    is_overdue: bool = False
    awaits_report_blank: bool = False
    # Its exam's documentation is on a joined blank, not typed in (cases/waiting.py).
    awaits_doc_blank: bool = False
    needs_fax: bool = False
    # needs_fax as the identity was corrected after the report went out.
    refax_identity: bool = False
    mr_unanswered: bool = False
    pregnancy_unanswered: bool = False
    contrast_unanswered: bool = False
    # A risky safety answer for the exam (cases/safety_risks.py), e.g. a pacemaker before MR.
    safety_risk: bool = False
    awaits_forwarding: bool = False
    waiver_pending: bool = False
    awaits_reviewer: bool = False
    images_on_modality: bool = False
    # Its report was read on the modality's screen and waits for a second look in PACS.
    awaits_second_look: bool = False
    # Reconciled, but its report waits for a signature (closing.awaiting_signature): "" if not.
    to_sign: str = ""
    # A radiologist wrote an instruction to the radiographer (the case page shows it).
    has_protocol: bool = False
    # The referral's side ("hö", "vä", "bilat"; "" none), and a side performed other than it.
    side: str = ""
    side_differs: bool = False
    # Infection or isolation on the referral (Smitta: Ja): whether, not which.
    has_infection: bool = False


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]
    total: int  # rows matching the filters, shown or not


# Cases still waiting for the department come first; those only waiting for RIS keying next.
_STAGES = {
    "referral_received": 0,
    "exam_done": 0,
    "report_preliminary": 0,
    "report_definitive": 1,
    "keyed_in_ris": 1,
    "closed": 2,
    "cancelled": 2,
}
UNKNOWN_RANK = 99
DEFAULT_LIMITS = SafetyLimits()


def _status_kind(status: str) -> str:
    return status if status in ("", "active") else "one"


@lru_cache(maxsize=64)
def _rows_statement(
    ranks: tuple[tuple[str, int], ...],
    deadlines: tuple[tuple[str, int], ...],
    modality: bool,
    status: str,
    limited: bool,
    mr: Asking = ((), ()),
    pregnancy: Asking = ((), ()),
    contrast: tuple[str, ...] = (),
    limits: SafetyLimits = DEFAULT_LIMITS,
) -> Select:  # type: ignore[type-arg]
    # Built once per priority list and filter shape: building the CASE expressions and the
    # statement's cache key cost more than SQLite's sort of the incident's rows.
    needs_call = clauses.needs_call()
    overdue = clauses.overdue(deadlines)
    needs_fax = needs_fax_clause()
    needs_restore_call = needs_restore_call_clause()
    awaits_forwarding = clauses.awaits_forwarding()
    # A reconciled (or cancelled) case whose report is still to fax, sign or forward, or whose
    # referrer is still to phone, holds the incident's close: it ranks with the signed reports
    # still to send, not with the quiet reconciled cases past the shown rows, where only "Visa
    # alla" reached it. Not above the patients still to examine and report: the top stays theirs.
    holds_close = Case.status.in_(("closed", "cancelled")) & (
        needs_fax
        | needs_restore_call
        | awaits_forwarding
        | Case.id.in_(bindparam("holding", expanding=True))
    )
    stage = case((holds_close, 1), else_=case(_STAGES, value=Case.status, else_=0))
    mr_unanswered, pregnancy_open = safety_flags(mr, pregnancy)
    safety_risk, pregnancy_risk, kidney_dated = risk_flags(mr, contrast, pregnancy, limits)
    rank = (
        case(dict(ranks), value=Case.priority, else_=UNKNOWN_RANK)
        if ranks
        else literal(UNKNOWN_RANK)
    )
    stmt = clauses.filtered(
        select(
            Case.id,
            Case.code,
            Case.patient_name,
            Case.patient_id_kind,
            Case.patient_id,
            Case.patient_sex,
            Case.patient_birth_date,
            Case.patient_age_approx,
            Case.modality,
            Case.priority,
            Case.status,
            Referral.exam_text,
            Referral.side,
            # Correlated: one look-up by the exam record's unique case id per row.
            select(ExamRecord.side)
            .where(ExamRecord.case_id == Case.id)
            .scalar_subquery()
            .label("exam_side"),
            Referral.arrived_at,
            needs_call.label("needs_call"),
            needs_restore_call.label("needs_restore_call"),
            overdue.label("is_overdue"),
            awaits_report_blank().label("awaits_report_blank"),
            awaits_doc_blank().label("awaits_doc_blank"),
            needs_fax.label("needs_fax"),
            identity_refax_clause().label("refax_identity"),
            mr_unanswered.label("mr_unanswered"),
            pregnancy_open.label("pregnancy_open"),
            contrast_unanswered(contrast).label("contrast_unanswered"),
            safety_risk.label("safety_risk"),
            pregnancy_risk.label("pregnancy_risk"),
            kidney_dated.label("kidney_dated"),
            awaits_forwarding.label("awaits_forwarding"),
            # Correlated: one look-up by the catch-up record's unique case id per row.
            waiver_pending_clause().label("waiver_pending"),
            only_on_modality_clause().label("images_on_modality"),
            awaits_second_look_clause().label("awaits_second_look"),
            Case.id.in_(bindparam("awaits_reviewer", expanding=True)).label("awaits_reviewer"),
            # Whether, not the text: SQLite sorts each row with all its columns.
            (Case.protocol != "").label("has_protocol"),
            (Referral.infection == "yes").label("has_infection"),
        ).join(Referral, Referral.case_id == Case.id),
        modality,
        status,
    ).order_by(
        # What needs someone now comes first: a call to make (an urgent finding, or a restored
        # case's referrer who was faxed the exam would not be done), then a case past its
        # deadline. A report still to fax is marked on its row but keeps its place: the top of
        # the board stays with the patients still to examine and report (holds_close).
        case((needs_call | needs_restore_call, 0), (overdue, 1), else_=2),
        stage,
        rank,
        Referral.arrived_at,
        Case.id,
    )
    return stmt.limit(bindparam("limit")) if limited else stmt


@lru_cache(maxsize=16)
def _count_statement(deadlines: tuple[tuple[str, int], ...], modality: bool, status: str) -> Select:  # type: ignore[type-arg]
    # The rows that need someone are counted beside the total, so the rows' query can be
    # limited to all of them at once: the same query unlimited sorted and returned every row
    # of the incident, and cost three times the limited one.
    needing = clauses.needs_call() | needs_restore_call_clause() | clauses.overdue(deadlines)
    return clauses.filtered(
        select(func.count(), func.coalesce(func.sum(case((needing, 1), else_=0)), 0))
        .select_from(Case)
        .join(Referral, Referral.case_id == Case.id),
        modality,
        status,
    )


def _may_be_pregnant(row: Row[Any], ages: PregnancyAges) -> bool:
    return may_be_pregnant(
        ages,
        is_reserve=row.patient_id_kind == "reserve",
        sex=row.patient_sex or "",
        birth_date=row.patient_birth_date,
        approx_age=row.patient_age_approx,
    )


def _needs_someone(row: Row[Any]) -> bool:
    return bool(row.needs_call or row.needs_restore_call or row.is_overdue)


def _asking(config: SiteConfig, question: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The site's modalities and catalogue exams that ask a safety question."""
    return (
        tuple(m.code for m in config.modalities if getattr(m, question)),
        tuple(e.code for e in config.exams if getattr(e, question)),
    )


def board_rows(
    incident_id: int,
    config: SiteConfig,
    *,
    modality: str = "",
    status: str = "",
    limit: int | None = None,
    ended: bool = False,
) -> Board:
    """Cases of an incident for the board, filtered, most urgent and longest waiting first.

    Only the shown columns of the shown rows are loaded: every tablet refreshes the board every
    few seconds, and building hundreds of Case objects to show sixty made it the slowest page.
    `ended`: the incident has ended, so no case is late (cases.waiting.case_is_overdue).
    """
    ranks = {p.code: p.rank for p in config.priorities}
    # A case of an ended incident left without a report was waived at the close and is worked
    # on in RIS: marked late (and ranked first) it would be an alarm nobody can answer.
    deadlines = (
        ()
        if ended
        else tuple((p.code, p.max_wait_minutes) for p in config.priorities if p.max_wait_minutes)
    )
    kind = _status_kind(status)
    shape = (tuple(ranks.items()), deadlines, bool(modality), kind)
    flags = {
        "mr": _asking(config, "mr_safety"),
        "pregnancy": _asking(config, "pregnancy"),
        "contrast": tuple(e.code for e in config.exams if e.contrast),
        "limits": config.safety_limits,
    }
    stmt = _rows_statement(*shape, limit is not None, **flags)
    now = utcnow()
    # Read for every filter: the cases they name rank with the work still to do.
    to_sign = awaiting_signature(incident_id)
    awaited = cases_awaiting_reviewer(incident_id)
    held = [*to_sign, *awaited]
    params: dict[str, object] = {
        "incident_id": incident_id,
        "awaits_reviewer": awaited,
        "holding": held,
    }
    if kind == "active":
        params["held"] = held
    for i, (_code, minutes) in enumerate(deadlines):
        params[f"cutoff_{i}"] = overdue_cutoff(now, minutes)
    if modality:
        params["modality"] = modality
    if kind == "one":
        params["status"] = status
    connection = db.session.connection()
    labels = config.earlier_priority_labels | {p.code: p.label for p in config.priorities}
    unknown = gettext("Okänd")
    total = needing = 0
    if limit is not None:
        # Every case that needs someone (a call to make, a case past its deadline) is shown,
        # beyond the limit if need be; they sort first, so the limit just grows to hold them.
        total, needing = connection.execute(
            _count_statement(deadlines, bool(modality), kind), params
        ).one()
        # One row more than shown tells whether a case came to need someone since the count.
        shown = max(limit, int(needing))
        params["limit"] = shown + 1
    found = list(connection.execute(stmt, params))
    if limit is not None:
        if len(found) > shown and _needs_someone(found[shown]):
            found = list(connection.execute(_rows_statement(*shape, False, **flags), params))
            shown = max(limit, sum(_needs_someone(r) for r in found))
        found = found[:shown]
    patients = mask_patients(found, unknown)
    dated = {r.id: r.arrived_at for r in found if r.kidney_dated and not r.safety_risk}
    stale = kidney_date_risks(dated, config.safety_limits)
    shorts = {side: gettext(short) for side, short in SIDE_SHORT.items()}
    ages = config.pregnancy_ages
    rows = [
        BoardRow(
            case_id=r.id,
            code=r.code,
            patient=patient,
            exam=r.exam_text,
            modality=r.modality,
            priority=r.priority,
            priority_label=labels.get(r.priority, r.priority),
            priority_rank=ranks.get(r.priority, UNKNOWN_RANK),
            status=r.status,
            arrived_at=r.arrived_at,
            waiting_minutes=max(0, int((now - r.arrived_at).total_seconds() // 60)),
            needs_call=bool(r.needs_call),
            needs_restore_call=bool(r.needs_restore_call),
            is_overdue=bool(r.is_overdue),
            awaits_report_blank=bool(r.awaits_report_blank),
            awaits_doc_blank=bool(r.awaits_doc_blank),
            needs_fax=bool(r.needs_fax),
            refax_identity=bool(r.refax_identity),
            mr_unanswered=bool(r.mr_unanswered),
            pregnancy_unanswered=bool(r.pregnancy_open) and _may_be_pregnant(r, ages),
            awaits_forwarding=bool(r.awaits_forwarding),
            contrast_unanswered=bool(r.contrast_unanswered),
            safety_risk=bool(r.safety_risk)
            or r.id in stale
            or (bool(r.pregnancy_risk) and _may_be_pregnant(r, ages)),
            waiver_pending=bool(r.waiver_pending),
            awaits_reviewer=bool(r.awaits_reviewer),
            images_on_modality=bool(r.images_on_modality),
            awaits_second_look=bool(r.awaits_second_look),
            to_sign=to_sign.get(r.id, ""),
            has_protocol=bool(r.has_protocol),
            side=shorts.get(r.side, ""),
            side_differs=sides_differ(r.side, r.exam_side or ""),
            has_infection=bool(r.has_infection),
        )
        for r, patient in zip(found, patients, strict=True)
    ]
    return Board(rows, len(rows) if limit is None else max(int(total), len(rows)))
