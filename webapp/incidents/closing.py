"""The condition for ending an incident: nothing outstanding."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Case, Draft

# A case is no longer outstanding once it is in RIS and closed, or cancelled with a reason.
DONE_STATUSES = ("closed", "cancelled")
DRAFT_KIND_LABELS = {"referral": "Remiss", "exam": "Dokumentation", "report": "Utlåtande"}


@dataclass(frozen=True)
class UnsentDraft:
    """A form of the incident typed but never sent: after the end it could no longer be."""

    kind: str
    label: str
    case_code: str

    @property
    def name(self) -> str:
        """What the closing message calls it: its case's code, else the label the form gave it."""
        return f"{DRAFT_KIND_LABELS.get(self.kind, self.kind)} {self.case_code or self.label}"


def outstanding_count(incident_id: int) -> int:
    """Cases of an incident that are still on their way to RIS."""
    return int(
        db.session.scalar(
            select(func.count(Case.id)).where(
                Case.incident_id == incident_id, Case.status.not_in(DONE_STATUSES)
            )
        )
        or 0
    )


def unsent_drafts(incident_id: int) -> list[UnsentDraft]:
    """Drafts of the incident: a referral begun in it, or an exam or report form of its cases."""
    rows = db.session.execute(
        select(Draft.kind, Draft.label, Case.code)
        .outerjoin(Case, Case.id == Draft.case_id)
        .where(
            Draft.is_done.is_(False),
            or_(Draft.incident_id == incident_id, Case.incident_id == incident_id),
        )
        .order_by(Draft.updated_at, Draft.id)
    )
    return [UnsentDraft(r.kind, r.label or "", r.code or "") for r in rows]


def unidentified_codes(incident_id: int) -> list[str]:
    """Codes of the incident's cases whose patient is still known only by a reserve number."""
    return list(
        db.session.scalars(
            select(Case.code)
            .where(
                Case.incident_id == incident_id,
                Case.patient_id_kind == "reserve",
                Case.status != "cancelled",
            )
            .order_by(Case.created_at, Case.id)
        )
    )
