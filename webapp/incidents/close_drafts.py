"""The forms that hold an incident open: typed in it, or for one of its cases, never sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..cases.display import masked_number
from ..draft_kinds import (
    ANY_CASE_KINDS,
    CANCELLED_CASE_KINDS,
    ENDING_KINDS,
    is_moot,
    is_past_reconciled,
    sheet_code,
)
from ..draft_kinds import KIND_LABELS as DRAFT_KIND_LABELS
from ..draft_origin import DraftOrigin, origin_of, with_origin
from ..draft_typed import masked_label, typed_code_of, typed_patient_of
from ..draft_versions import is_superseded, stored_versions
from ..extensions import db
from ..late_drafts import DRAFT_LIST_COLUMNS
from ..models import Case, Draft, User
from ..refusal import Message


@dataclass(frozen=True)
class UnsentDraft:
    """A form of the incident typed but never sent: after the end it could no longer be."""

    id: int
    form_key: str
    kind: str
    label: str
    case_id: int | None
    case_code: str
    case_status: str
    # The binder blank a referral draft is typed from ("" if none).
    sheet: str
    patient_name: str
    patient_number: str
    user_name: str
    # Who wrote it: the one who may throw it away, besides those with the duty (drafts.discarding).
    user_id: int
    updated_at: datetime
    # Typed offline under another login than the one that sent it.
    origin: DraftOrigin | None = None
    # A form begun without a case: the patient and the case code typed into it, as the access
    # log writes them ("" if none), since the batch page lists them.
    typed_patient: str = ""
    typed_code: str = ""

    @property
    def name(self) -> str:
        """`named` in Swedish."""
        return self.named.text()

    @property
    def named(self) -> Message:
        """What the closing message calls it: its case and patient, else the form's own label."""
        kind = DRAFT_KIND_LABELS.get(self.kind)
        values: dict[str, object] = {
            "kind": Message(kind) if kind else self.kind,
            "user": self.user_name,
        }
        if not self.case_code:
            values["label"] = self.label or Message("utan namn")
            return Message("%(kind)s %(label)s (av %(user)s)", values)
        patient = ", ".join(p for p in (self.patient_name, self.patient_number) if p)
        values.update(code=self.case_code, patient=patient or Message("Namn okänt"))
        return Message("%(kind)s %(code)s (%(patient)s, av %(user)s)", values)


def unsent_drafts(incident_id: int) -> list[UnsentDraft]:
    """Drafts that hold the incident open: a referral begun in it, or a form of a live case.

    A draft that a later save of its record has superseded is not counted: it could only be
    sent as a conflict, and its text stays on the drafts list for whoever typed it. Nor is a
    draft of a cancelled case: it cannot be sent while the case stays cancelled, and a case
    left cancelled is done; its text stays readable (drafts_at_close). A form of a cancelled
    case (undoing the cancellation) goes the other way: it holds the close while the case is
    cancelled, and not once the case is restored. Nor does a waiver of a case since reconciled
    (draft_kinds.is_past_reconciled): it is refused for it.
    """
    return drafts_at_close(incident_id)[0]


def drafts_at_close(incident_id: int) -> tuple[list[UnsentDraft], list[UnsentDraft]]:
    """The drafts that hold the close, and those of cancelled cases (shown, not holding it)."""
    drafts = _open_drafts(incident_id)
    return (
        [
            d
            for d in drafts
            if not is_moot(d.kind, d.case_status) and not is_past_reconciled(d.kind, d.case_status)
        ],
        [d for d in drafts if d.case_status == "cancelled" and is_moot(d.kind, d.case_status)],
    )


def cancelled_case_drafts(incident_id: int) -> list[UnsentDraft]:
    """The drafts of cancelled cases alone, as drafts_at_close lists them.

    After the end nothing holds the close, and a live case's unsent form is a late draft
    (late_drafts): reading the others and their cases' versions would be work thrown away.
    """
    return _open_drafts(incident_id, cancelled_only=True)


def _open_drafts(incident_id: int, *, cancelled_only: bool = False) -> list[UnsentDraft]:
    stmt = (
        with_origin(select(*DRAFT_LIST_COLUMNS, Case.status))
        .join(User, User.id == Draft.user_id)
        .outerjoin(Case, Case.id == Draft.case_id)
        .where(
            Draft.is_done.is_(False),
            # A transfer's form is still sent after the end: it neither holds the close nor is
            # lost by it.
            Draft.kind.in_(ENDING_KINDS),
            # A case's draft goes by its case's incident, as the drafts lists do: one saved from a
            # page drawn before the case moved still names the incident it left.
            func.coalesce(Case.incident_id, Draft.incident_id) == incident_id,
        )
        .order_by(Draft.updated_at, Draft.id)
    )
    if cancelled_only:
        stmt = stmt.where(
            Case.status == "cancelled",
            Draft.kind.not_in(CANCELLED_CASE_KINDS + ANY_CASE_KINDS),
        )
    rows = db.session.execute(stmt).all()
    versions = stored_versions((r.case_id, r.kind) for r in rows if r.case_id is not None)
    return [
        UnsentDraft(
            id=r.id,
            form_key=r.form_key,
            kind=r.kind,
            # Named as the drafts list names it: the number the tablet's label holds masked.
            label=(r.label or "") if r.case_id else masked_label(r.kind, r.label or "", r.data),
            case_id=r.case_id,
            case_code=r.code or "",
            case_status=r.status or "",
            sheet=sheet_code(r.kind, r.data),
            patient_name=r.patient_name or "",
            patient_number=masked_number(r.patient_id_kind, r.patient_id) if r.code else "",
            user_name=r.display_name,
            user_id=r.user_id,
            updated_at=r.updated_at,
            origin=origin_of(r),
            typed_patient=typed_patient_of(r.kind, r.data) if r.case_id is None else "",
            typed_code=typed_code_of(r.data) if r.case_id is None else "",
        )
        for r in rows
        if not is_superseded(r.kind, r.data, versions.get(r.case_id))
    ]
