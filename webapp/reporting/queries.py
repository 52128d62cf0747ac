"""Read helpers for reporting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from ..call_rule import needs_call_clause
from ..cases.display import MaskedPatient, mask_patients
from ..cases.laterality import SIDE_SHORT
from ..cases.waiting import WAITING_STATUSES, awaits_report_blank, is_overdue
from ..dispatch_rule import identity_refax_clause, needs_fax_clause
from ..extensions import db
from ..i18n import gettext
from ..models import Case, Referral, Report, UrgentCall, User, utcnow
from ..restore_call_rule import needs_restore_call_clause
from ..reviewer_rule import cases_awaiting_reviewer
from ..siteconfig import SiteConfig
from ..waiver_rule import waiver_pending_clause


@dataclass(frozen=True)
class WorkItem:
    case_id: int
    code: str
    patient: MaskedPatient
    exam: str
    modality: str
    priority_label: str
    priority_rank: int
    status: str
    report_state: str
    arrived_at: datetime
    waiting_minutes: int
    needs_call: bool
    is_overdue: bool = False
    awaits_report_blank: bool = False
    needs_fax: bool = False
    # Needs faxing again because the patient's identity was corrected after the fax.
    refax_identity: bool = False
    # Taken out of the catch-up by one secretary, not yet confirmed by another (four eyes).
    waiver_pending: bool = False
    # Restored after its referrer was faxed that the exam will not be done (restore_call_rule).
    needs_restore_call: bool = False
    # The referral's side as the list writes it ("hö", "vä", "bilat"; "" none).
    side: str = ""
    # Its anonymised referral is with the external reviewer, no answer back (reviewer_rule):
    # read here as well, the referrer could get two reports.
    awaits_reviewer: bool = False

    @property
    def needs_someone(self) -> bool:
        """A call to make or a deadline passed: shown however many rows the list shows."""
        return self.needs_call or self.needs_restore_call or self.is_overdue


@lru_cache(maxsize=1)
def _worklist_statement() -> Select:  # type: ignore[type-arg]
    # Plain columns, not Case objects, and a statement built once: the list reads every
    # waiting case of the incident on each visit.
    needs_call = needs_call_clause()
    return (
        select(
            Case.id,
            Case.code,
            Case.patient_name,
            Case.patient_id_kind,
            Case.patient_id,
            Case.modality,
            Case.priority,
            Case.status,
            Referral.exam_text,
            Referral.side,
            Referral.arrived_at,
            Report.state,
            needs_call.label("needs_call"),
            awaits_report_blank().label("awaits_report_blank"),
            needs_fax_clause().label("needs_fax"),
            identity_refax_clause().label("refax_identity"),
            waiver_pending_clause().label("waiver_pending"),
            needs_restore_call_clause().label("needs_restore_call"),
        )
        .join(Referral, Referral.case_id == Case.id)
        .outerjoin(Report, Report.case_id == Case.id)
        .where(Case.incident_id == bindparam("incident_id"))
        .where(
            Case.status.in_(WAITING_STATUSES) | (needs_call & Case.status.not_in(("cancelled",)))
        )
    )


def worklist(incident_id: int, config: SiteConfig) -> list[WorkItem]:
    """Cases waiting for a (definitive) report, most urgent and longest waiting first.

    A case with an unmade urgent call stays on the list until the call is logged; a listed
    case whose signed report is not yet faxed to the referrer is marked (the board keeps the
    definitive ones in sight).
    """
    rows = list(
        db.session.connection().execute(_worklist_statement(), {"incident_id": incident_id})
    )
    now = utcnow()
    unknown = gettext("Okänd")
    patients = mask_patients(rows, unknown)
    # A handful an outage, read apart as the board does: in the statement it cost every row.
    awaited = set(cases_awaiting_reviewer(incident_id))
    shorts = {side: gettext(short) for side, short in SIDE_SHORT.items()}
    items = [
        WorkItem(
            case_id=r.id,
            code=r.code,
            patient=patient,
            exam=r.exam_text,
            side=shorts.get(r.side, ""),
            modality=r.modality,
            priority_label=config.priority_label(r.priority),
            priority_rank=config.priority_rank(r.priority),
            status=r.status,
            report_state=r.state or "",
            arrived_at=r.arrived_at,
            waiting_minutes=max(0, int((now - r.arrived_at).total_seconds() // 60)),
            needs_call=bool(r.needs_call),
            is_overdue=is_overdue(r.status, r.arrived_at, config.max_wait_minutes(r.priority), now),
            awaits_report_blank=bool(r.awaits_report_blank),
            needs_fax=bool(r.needs_fax),
            refax_identity=bool(r.refax_identity),
            waiver_pending=bool(r.waiver_pending),
            needs_restore_call=bool(r.needs_restore_call),
            awaits_reviewer=r.id in awaited,
        )
        for r, patient in zip(rows, patients, strict=True)
    ]
    items.sort(
        key=lambda i: (
            # A call to make first: an urgent finding's, or a restored case's (restore_call_rule).
            not (i.needs_call or i.needs_restore_call),
            not i.is_overdue,
            i.priority_rank,
            i.arrived_at,
        )
    )
    return items


def calls_for(case_id: int) -> list[UrgentCall]:
    """Logged calls about a case's urgent finding."""
    return list(
        db.session.scalars(
            select(UrgentCall)
            .options(joinedload(UrgentCall.called_by))
            .where(UrgentCall.case_id == case_id)
            .order_by(UrgentCall.called_at, UrgentCall.id)
        )
    )


def site_radiologists(site_id: int) -> list[tuple[str, str]]:
    """The site's active radiologists as (id, name) choices, by name."""
    rows = db.session.execute(
        select(User.id, User.display_name)
        .where(User.site_id == site_id, User.role == "radiologist", User.is_active.is_(True))
        .order_by(User.display_name)
    )
    return [(str(row.id), row.display_name) for row in rows]
