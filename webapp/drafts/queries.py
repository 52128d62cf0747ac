"""Read helpers for drafts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, or_, select
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField

from ..cases.display import masked_number
from ..cases.queries import case_by_code
from ..draft_kinds import ENDING_KINDS, LOG_KINDS, is_moot, is_past_reconciled, sheet_code
from ..draft_origin import DraftOrigin, origin_of, with_origin
from ..draft_twins import NO_TWIN, TwinMark, TwinRow, twin_marks
from ..draft_typed import masked_label, typed_code_of, typed_patient_of
from ..draft_versions import is_superseded, stored_versions
from ..extensions import db
from ..formutil import KEY_RE, BaseForm, new_form_key
from ..models import Case, Draft, Incident, Referral, Submission, User
from ..restore_call_rule import needs_restore_call_clause
from ..siteconfig import SiteConfig
from .records import DraftRecord, draft_records


@dataclass(frozen=True)
class DraftRow:
    """One unfinished form in the list; a form of a case names the case's patient."""

    id: int
    form_key: str
    kind: str
    label: str
    updated_at: datetime
    user_name: str
    # Who wrote it: the one who may throw it away, besides those with the duty (discarding.py).
    user_id: int
    case_id: int | None
    case_code: str
    # The binder blank a referral draft is typed from ("" if none).
    sheet: str
    patient_name: str
    patient_number: str
    exam_text: str
    # A later save of the record overtook it: kept readable, no longer an unsent form.
    is_superseded: bool = False
    # Its form cannot be saved while the case stays cancelled, nor does it hold the close.
    is_case_cancelled: bool = False
    # A form of a cancelled case (undoing it, the notice to its referrer) whose case is active
    # again: the case page no longer draws the form, so the draft can only be thrown away.
    is_case_restored: bool = False
    # The call to a restored case's referrer, logged meanwhile from another tablet: the case
    # page no longer draws its form, so the draft can only be read and thrown away.
    is_call_logged: bool = False
    # A waiver of a case reconciled meanwhile: the catch-up page no longer draws its form, so
    # the draft can only be read and thrown away (draft_kinds.is_past_reconciled).
    is_case_reconciled: bool = False
    # Its incident is over: its form is only to read (what it says now goes into RIS).
    is_incident_ended: bool = False
    # Typed offline under another login than the one that sent it.
    origin: DraftOrigin | None = None
    # A form begun without a case: the patient and the case code typed into it, as the access
    # log writes them ("" if none), since its label shows them.
    typed_patient: str = ""
    typed_code: str = ""
    # Beside another row that reads the same: what tells the two apart.
    twin: TwinMark = NO_TWIN
    # The transfer or outage a form that is no case's is typed on (drafts.records), as a list
    # shows it; None for any other form.
    record: DraftRecord | None = None

    @property
    def is_log_note(self) -> bool:
        """Whether it is a note of the outage's log: nothing for RIS once the outage ended."""
        return self.kind in LOG_KINDS

    @property
    def is_record_moot(self) -> bool:
        """Whether its record no longer draws its form (a closed transfer, a number recorded)."""
        return self.record is not None and self.record.is_moot


def typed_patient(draft: Draft) -> str:
    """The patient a referral or transfer draft names, written as the access log writes
    patients, or ""."""
    return typed_patient_of(draft.kind, draft.data)


def typed_case(draft: Draft, site_id: int) -> Case | None:
    """The case of a draft: its own, or the one whose code was typed into a form begun without
    a case (a reviewer's faxed report, an image transfer)."""
    if draft.case_id is not None:
        return db.session.get(Case, draft.case_id)
    code = typed_code_of(draft.data)
    return case_by_code(site_id, code) if code else None


def draft_for_key(form_key: str, site_id: int) -> Draft | None:
    """An unfinished draft of the site by its form key."""
    if not form_key:
        return None
    return db.session.scalar(
        select(Draft).where(
            Draft.form_key == form_key, Draft.site_id == site_id, Draft.is_done.is_(False)
        )
    )


def draft_to_continue(
    requested_key: str, site_id: int, kind: str, case_id: int | None
) -> tuple[Draft | None, str]:
    """The draft a form opened with ?draft= continues, and the form key the form carries.

    A key the laptop has no draft for is kept: the tablet may hold that draft, typed offline. A
    key held by a draft of another form or case is not: autosave would be refused, and sending
    the form would mark the other draft done. Nor is the key of a form already sent (Back after
    Spara): what is typed next would not be saved as a draft, and sending it would be refused
    as the sent form with other content.
    """
    draft = draft_for_key(requested_key, site_id)
    if draft is not None and draft.kind == kind and draft.case_id == case_id:
        return draft, draft.form_key
    if draft is None and KEY_RE.match(requested_key) and not _key_used(requested_key):
        return None, requested_key
    return None, new_form_key()


def resume_form(
    form: BaseForm, kind: str, case_id: int | None, site_id: int, requested_key: str
) -> Draft | None:
    """A form opened on GET: the text of the draft it continues, and the key it autosaves under.

    Returns the draft that filled the form, if any. The form needs a form_key field; a prefixed
    form's draft holds its prefixed field names.
    """
    draft, key = draft_to_continue(requested_key, site_id, kind, case_id)
    if draft is not None:
        form.process(formdata=draft_formdata(form, draft.data))
    form["form_key"].data = key
    return draft


def resume_record_form(
    form: BaseForm,
    kind: str,
    record_id: int,
    case_id: int | None,
    site_id: int,
    requested_key: str,
) -> Draft | None:
    """A form of a record that is no case's (a transfer's try, an outage's number or log note)
    opened on GET: as resume_form, but only a draft typed on this record is continued.

    A draft of another record names it in a hidden field (draft_kinds.sheet_code): sent here,
    it would log the try on the wrong images, the note in the wrong outage, the number for the
    wrong report. The form keeps what it was built with then, under a new key.
    """
    draft, key = draft_to_continue(requested_key, site_id, kind, case_id)
    if draft is not None and sheet_code(draft.kind, draft.data) != str(record_id):
        draft, key = None, new_form_key()
    if draft is not None:
        form.process(formdata=draft_formdata(form, draft.data))
    form["form_key"].data = key
    return draft


def draft_formdata(form: BaseForm, data: dict[str, Any]) -> MultiDict[str, Any]:
    """A draft's values as a browser sends the form: an unticked box not at all.

    draft-copies.js keeps an unticked box as "". Processed so, the box is drawn with value="" and,
    ticked later, sends "", which reads as unticked: the tick would be lost.
    """
    boxes = {f.name: f for f in form if isinstance(f, BooleanField)}
    return MultiDict(
        {
            name: value
            for name, value in data.items()
            if name not in boxes or value not in boxes[name].false_values
        }
    )


def _key_used(form_key: str) -> bool:
    """Whether a form was sent under this key, or a draft under it is done or elsewhere."""
    sent = select(Submission.key).where(Submission.key == form_key)
    drafted = select(Draft.form_key).where(Draft.form_key == form_key)
    return bool(db.session.scalar(select(or_(exists(sent), exists(drafted)))))


def open_drafts(site_id: int, kind: str | None = None) -> list[Draft]:
    """Unfinished drafts of a site, newest first, so none is forgotten."""
    stmt = select(Draft).where(Draft.site_id == site_id, Draft.is_done.is_(False))
    if kind:
        stmt = stmt.where(Draft.kind == kind)
    return list(db.session.scalars(stmt.order_by(Draft.updated_at.desc(), Draft.id.desc())))


@dataclass(frozen=True)
class UnsentReferral:
    """A referral not yet sent, as the new-referral page lists it to be continued."""

    form_key: str
    # The tablet's label with the number masked, as every list of drafts shows it.
    label: str
    updated_at: datetime
    # The patient typed into it, as the access log writes patients ("" if none).
    typed_patient: str


def unsent_referrals(site_id: int, shown_key: str) -> list[UnsentReferral]:
    """The site's referrals begun and not sent, but the one the form shows, newest first."""
    return [
        UnsentReferral(
            form_key=d.form_key,
            label=masked_label(d.kind, d.label or "", d.data),
            updated_at=d.updated_at,
            typed_patient=typed_patient(d),
        )
        for d in open_drafts(site_id, "referral")
        if d.form_key != shown_key
    ]


def draft_list(site_id: int, config: SiteConfig) -> list[DraftRow]:
    """Unfinished drafts of a site, newest first, each of a case with the case's patient.

    config: the site's configuration, whose names tell two drafts that read alike apart.

    The patient comes from the case, not from the label the tablet built: a report editor has
    no patient fields, and an exam form only the exam, so their labels cannot tell two apart.
    """
    stmt = with_origin(
        select(
            Draft.id,
            Draft.form_key,
            Draft.kind,
            Draft.label,
            Draft.updated_at,
            Draft.case_id,
            Draft.data,
            User.display_name,
            Draft.user_id,
            Case.code,
            Case.status,
            Case.patient_name,
            Case.patient_id_kind,
            Case.patient_id,
            Referral.exam_text,
            Incident.ended_at,
            needs_restore_call_clause().label("call_missing"),
        )
        .join(User, User.id == Draft.user_id)
        .outerjoin(Case, Case.id == Draft.case_id)
        # A referral begun without a case goes by the incident its form was opened in.
        .outerjoin(Incident, Incident.id == func.coalesce(Case.incident_id, Draft.incident_id))
        .outerjoin(Referral, Referral.case_id == Draft.case_id)
        .where(Draft.site_id == site_id, Draft.is_done.is_(False))
        .order_by(Draft.updated_at.desc(), Draft.id.desc())
    )
    rows = db.session.execute(stmt).all()
    versions = stored_versions((r.case_id, r.kind) for r in rows if r.case_id is not None)
    # Unmasked here: the access log names the patient whole; the row shows it masked.
    records = draft_records(site_id, ((r.id, r.kind, r.data) for r in rows), masked=False)
    labels = [
        r.label if r.case_id is not None else masked_label(r.kind, r.label, r.data) for r in rows
    ]
    twins = twin_marks(
        [
            TwinRow(
                (r.kind, r.case_id, label, r.display_name, origin_of(r)),
                r.kind,
                r.data,
                r.updated_at,
            )
            for r, label in zip(rows, labels, strict=True)
        ],
        config,
    )
    return [
        DraftRow(
            id=r.id,
            form_key=r.form_key,
            kind=r.kind,
            # A form begun without a case: what was typed, the number masked as on case rows.
            label=label,
            updated_at=r.updated_at,
            user_name=r.display_name,
            user_id=r.user_id,
            case_id=r.case_id,
            case_code=r.code or "",
            sheet=sheet_code(r.kind, r.data),
            patient_name=r.patient_name or "",
            patient_number=masked_number(r.patient_id_kind, r.patient_id) if r.code else "",
            exam_text=r.exam_text or "",
            is_superseded=is_superseded(r.kind, r.data, versions.get(r.case_id)),
            # A form of a cancelled case (undoing it) is sent while the case is cancelled.
            is_case_cancelled=r.status == "cancelled" and is_moot(r.kind, r.status),
            is_case_restored=r.status not in (None, "cancelled") and is_moot(r.kind, r.status),
            is_incident_ended=r.ended_at is not None and r.kind in ENDING_KINDS,
            is_call_logged=is_call_logged(r.kind, r.status, r.call_missing),
            is_case_reconciled=r.status is not None and is_past_reconciled(r.kind, r.status),
            origin=origin_of(r),
            typed_patient=_typed_patient(r, records.get(r.id)),
            typed_code=typed_code_of(r.data) if r.case_id is None else "",
            twin=twin,
            record=records[r.id].masked() if r.id in records else None,
        )
        for r, label, twin in zip(rows, labels, twins, strict=True)
    ]


def _typed_patient(row: Any, record: DraftRecord | None) -> str:
    """The patient a draft begun without a case shows: typed into it, or its transfer's."""
    if row.case_id is not None:
        return ""
    return typed_patient_of(row.kind, row.data) or (record.patient_ref if record else "")


def is_call_logged(kind: str, case_status: str | None, call_missing: bool | None) -> bool:
    """Whether a restore call's draft is of a live case whose call is logged already."""
    return kind == "restore_call" and case_status not in (None, "cancelled") and not call_missing
