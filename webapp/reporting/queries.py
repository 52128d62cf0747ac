"""Read helpers for reporting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..call_rule import needs_call_clause
from ..cases.display import patient_masked
from ..cases.waiting import WAITING_STATUSES, awaits_report_blank, is_overdue
from ..dispatch_rule import needs_fax_clause
from ..extensions import db
from ..i18n import gettext
from ..models import Case, Referral, Report, UrgentCall, User, utcnow
from ..siteconfig import SiteConfig


@dataclass(frozen=True)
class WorkItem:
    case_id: int
    code: str
    patient: str
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

    @property
    def needs_someone(self) -> bool:
        """A call to make or a deadline passed: shown however many rows the list shows."""
        return self.needs_call or self.is_overdue


def worklist(incident_id: int, config: SiteConfig) -> list[WorkItem]:
    """Cases waiting for a (definitive) report, most urgent and longest waiting first.

    A case with an unmade urgent call stays on the list until the call is logged; a listed
    case whose signed report is not yet faxed to the referrer is marked (the board keeps the
    definitive ones in sight).
    """
    needs_call = needs_call_clause()
    needs_fax = needs_fax_clause()
    rows = db.session.execute(
        select(
            Case,
            Referral.exam_text,
            Referral.arrived_at,
            Report.state,
            needs_call,
            awaits_report_blank(),
            needs_fax,
        )
        .join(Referral, Referral.case_id == Case.id)
        .outerjoin(Report, Report.case_id == Case.id)
        .where(Case.incident_id == incident_id)
        .where(
            Case.status.in_(WAITING_STATUSES) | (needs_call & Case.status.not_in(("cancelled",)))
        )
    ).all()
    now = utcnow()
    unknown = gettext("Okänd")
    items = [
        WorkItem(
            case_id=case.id,
            code=case.code,
            patient=patient_masked(case, unknown),
            exam=exam_text,
            modality=case.modality,
            priority_label=config.priority_label(case.priority),
            priority_rank=config.priority_rank(case.priority),
            status=case.status,
            report_state=state or "",
            arrived_at=arrived_at,
            waiting_minutes=max(0, int((now - arrived_at).total_seconds() // 60)),
            needs_call=bool(uncalled),
            is_overdue=is_overdue(
                case.status, arrived_at, config.max_wait_minutes(case.priority), now
            ),
            awaits_report_blank=bool(blank_waits),
            needs_fax=bool(unfaxed),
        )
        for case, exam_text, arrived_at, state, uncalled, blank_waits, unfaxed in rows
    ]
    items.sort(
        key=lambda i: (
            not i.needs_call,
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
            .order_by(UrgentCall.called_at)
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
