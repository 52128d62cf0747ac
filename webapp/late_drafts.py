"""Drafts that reached the laptop after their incident had ended.

A tablet offline during the close sends what it held once it is back. Nothing is lost, but
the incident is closed and its catch-up done: such a draft is in no batch, and a referral or a
report typed on that tablet would never reach RIS unless someone is told. These are the drafts
the ended incident's page, its batch and the secretaries' and admins' start page warn about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select

from .cases.display import masked_number
from .draft_kinds import (
    ANY_CASE_KINDS,
    CANCELLED_CASE_KINDS,
    DRAFT_KINDS,
    ENDING_KINDS,
    KIND_LABELS,
    LOG_KINDS,
    UNTIL_RECONCILED_KINDS,
    sheet_code,
)
from .draft_origin import DraftOrigin, origin_of, with_origin
from .draft_typed import masked_label, typed_code_of, typed_patient_of
from .draft_versions import is_superseded, stored_versions
from .extensions import db
from .identity import format_patient_id
from .models import Case, Draft, Incident, User


@dataclass(frozen=True)
class DraftSummary:
    """An unsent form named by its patient, its writer and its incident (one saved after its
    incident ended, in the lists here)."""

    id: int
    form_key: str
    kind: str
    label: str
    case_id: int | None
    case_code: str
    # The binder blank a referral draft is typed from ("" if none).
    sheet: str
    # The case's patient, or for a form begun without a case the one typed into it.
    patient_name: str
    patient_number: str
    user_name: str
    # Who wrote it: the one who may throw it away, besides those with the duty (drafts.discarding).
    user_id: int
    updated_at: datetime
    incident_id: int | None
    incident_title: str
    incident_ended_at: datetime | None
    origin: DraftOrigin | None = None
    # A form begun without a case: the patient and the case code typed into it, as the access
    # log writes them ("" if none), since the lists show them.
    typed_patient: str = ""
    typed_code: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def is_log_note(self) -> bool:
        """Whether it is a note of the outage's log: no patient's, and nothing for RIS."""
        return self.kind in LOG_KINDS

    def may_read(self, role: str) -> bool:
        """Whether a user of this role may read its text: the roles that may open its form."""
        kind = DRAFT_KINDS.get(self.kind)
        return kind is not None and role in kind.roles


def _typed(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return " ".join(value.split()) if isinstance(value, str) else ""


def typed_identity(kind: str, data: Any) -> tuple[str, str]:
    """The patient's name and number as typed into a form begun without a case."""
    if not isinstance(data, dict):
        return "", ""
    if kind == "transfer":
        return _typed(data, "patient_name"), _typed(data, "patient_ref")
    reserve = data.get("id_mode") == "reserve"
    number = _typed(data, "reserve_number" if reserve else "personal_number")
    return _typed(data, "patient_name"), number


# What a list of unsent drafts shows of each (with its origin, draft_origin.with_origin): the
# draft, its writer and its case's two identifiers; joined to User and outer-joined to Case.
DRAFT_LIST_COLUMNS = (
    Draft.id,
    Draft.form_key,
    Draft.kind,
    Draft.label,
    Draft.case_id,
    Draft.data,
    Draft.updated_at,
    User.display_name,
    Draft.user_id,
    Case.code,
    Case.patient_name,
    Case.patient_id_kind,
    Case.patient_id,
)


def _summaries(where: Any, *, done: bool = False) -> Select[Any]:
    of_incident = func.coalesce(Case.incident_id, Draft.incident_id)
    return with_origin(
        select(
            *DRAFT_LIST_COLUMNS,
            Incident.id.label("of_incident"),
            Incident.title,
            Incident.ended_at,
            (Draft.updated_at > Incident.ended_at).label("saved_after_end"),
        )
        .join(User, User.id == Draft.user_id)
        .outerjoin(Case, Case.id == Draft.case_id)
        .outerjoin(Incident, Incident.id == of_incident)
        .where(Draft.is_done.is_(done), where)
        .order_by(Draft.updated_at, Draft.id)
    )


def _summary(r: Any, *, masked: bool) -> DraftSummary:
    # A list masks the number as the drafts list does, the label a tablet built (which holds
    # the number in full) too; the page that reads the one draft shows it whole.
    label = r.label or ""
    if r.code:
        name = r.patient_name or ""
        show = masked_number if masked else format_patient_id
        number = show(r.patient_id_kind, r.patient_id)
    else:
        name, number = typed_identity(r.kind, r.data)
        if masked:
            number = masked_label(r.kind, number, r.data)
            label = masked_label(r.kind, label, r.data) if r.case_id is None else label
    return DraftSummary(
        id=r.id,
        form_key=r.form_key,
        kind=r.kind,
        label=label,
        case_id=r.case_id,
        case_code=r.code or "",
        sheet=sheet_code(r.kind, r.data),
        patient_name=name,
        patient_number=number,
        user_name=r.display_name,
        user_id=r.user_id,
        updated_at=r.updated_at,
        incident_id=r.of_incident,
        incident_title=r.title or "",
        # A transfer's form is sent after its incident as during it: no end to warn of.
        incident_ended_at=r.ended_at if r.kind in ENDING_KINDS else None,
        origin=origin_of(r),
        typed_patient=typed_patient_of(r.kind, r.data) if r.case_id is None else "",
        typed_code=typed_code_of(r.data) if r.case_id is None else "",
    )


def late_drafts(site_id: int, incident_id: int | None = None) -> list[DraftSummary]:
    """Unsent drafts of the site's ended incidents (or of one) saved after the incident ended.

    A draft of a case goes by its case's incident, one begun without a case by the incident its
    form was opened in. Drafts the close itself showed (of a cancelled case, or superseded) were
    saved before the end and are not counted; nor is a late one of a cancelled case, which goes
    nowhere in RIS (a move's aside, sent alike for a cancelled case); nor a transfer request,
    whose form is still sent as usual. Oldest first: the one waiting longest comes first.

    Found by what the close left, not by the clock: it refused while any unsent form of the
    incident held it, so one there now that is not superseded came after the end, however
    early its save reads (the laptop's clock set back since). A superseded one is late only
    by its time, as the close listed such drafts without being held by them.
    """
    stmt = _summaries(
        and_(
            Draft.site_id == site_id,
            Draft.kind.in_(ENDING_KINDS),
            Incident.ended_at.is_not(None),
            # A form of a cancelled case (undoing it) the other way round (draft_kinds.is_moot).
            or_(
                Case.id.is_(None),
                and_(
                    Case.status != "cancelled",
                    Draft.kind.not_in(CANCELLED_CASE_KINDS),
                    # A waiver of a reconciled case is refused (draft_kinds.is_past_reconciled).
                    or_(Case.status != "closed", Draft.kind.not_in(UNTIL_RECONCILED_KINDS)),
                ),
                and_(
                    Case.status == "cancelled",
                    Draft.kind.in_(CANCELLED_CASE_KINDS + ANY_CASE_KINDS),
                ),
            ),
        )
    )
    if incident_id is not None:
        stmt = stmt.where(Incident.id == incident_id)
    rows = db.session.execute(stmt).all()
    versions = stored_versions(
        (r.case_id, r.kind) for r in rows if r.case_id is not None and not r.saved_after_end
    )
    return [
        _summary(r, masked=True)
        for r in rows
        if r.saved_after_end or not is_superseded(r.kind, r.data, versions.get(r.case_id))
    ]


def draft_summary(draft_id: int, site_id: int, *, done: bool = False) -> DraftSummary | None:
    """One unsent draft of the site (done: one sent), as the lists here name it; None if there
    is none."""
    row = db.session.execute(
        _summaries(and_(Draft.id == draft_id, Draft.site_id == site_id), done=done)
    ).first()
    return _summary(row, masked=False) if row is not None else None
