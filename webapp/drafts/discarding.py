"""Throwing a draft away, and who may.

A draft is someone's typed form: its writer may throw it away, and an admin any of the site's.
A secretary's duty is the catch-up: the forms its batch lists, those holding the close and those
that came after the end, are thrown away there on purpose once keyed into RIS; any other of a
colleague's drafts stays with its writer.
"""

from __future__ import annotations

from flask import g
from sqlalchemy import exists, select

from ..audit import log_event
from ..extensions import db
from ..incidents.close_drafts import cancelled_case_drafts, drafts_at_close
from ..late_drafts import late_drafts
from ..models import Case, Draft, Incident, Submission, User, utcnow
from ..storage import write_transaction
from . import bp
from .queries import typed_case, typed_patient
from .records import draft_records
from .services import DraftError, form_of

NOT_YOUR_DRAFT = (
    "Utkastet skrevs av någon annan: bara den som skrev det, "
    "eller en administratör, kan slänga det."
)
# The role whose duty is the catch-up, where its batch lists a colleague's unsent forms.
CATCHUP_ROLE = "secretary"


class DiscardRefused(DraftError):
    """Another user's draft that this user has no duty to throw away."""

    def __init__(self) -> None:
        super().__init__(NOT_YOUR_DRAFT)


def _may_discard_anywhere(owner_id: int, user: User) -> bool:
    return owner_id == user.id or user.role == "admin"


@bp.app_template_global()
def may_discard(draft: object, at_catchup: bool = False) -> bool:
    """Whether the page offers "Släng" on a draft of a list (one with a user_id).

    at_catchup: the list is one of the catch-up's (the batch, the forms that came after the
    end), which the server lets a secretary throw away (catchup_lists).
    """
    user = g.get("user")
    if user is None:
        return False
    owner_id = int(getattr(draft, "user_id", 0))
    return _may_discard_anywhere(owner_id, user) or (at_catchup and user.role == CATCHUP_ROLE)


def on_catchup_lists(draft: Draft) -> bool:
    """Whether the draft is one its incident's batch lists to open or throw away."""
    case = db.session.get(Case, draft.case_id) if draft.case_id is not None else None
    incident_id = case.incident_id if case is not None else draft.incident_id
    incident = db.session.get(Incident, incident_id) if incident_id is not None else None
    if incident is None:
        return False
    if incident.ended_at is None:
        held, cancelled = drafts_at_close(incident.id)
        listed = {d.id for d in (*held, *cancelled)}
    else:
        listed = {d.id for d in cancelled_case_drafts(incident.id)}
        listed |= {d.id for d in late_drafts(draft.site_id, incident.id)}
    return draft.id in listed


def may_discard_draft(draft: Draft, user: User) -> bool:
    """The server's rule: the writer, an admin, or a secretary for the batch's drafts."""
    if _may_discard_anywhere(draft.user_id, user):
        return True
    return user.role == CATCHUP_ROLE and on_catchup_lists(draft)


def _record_patient(draft: Draft) -> str:
    """The patient of the record a form that is no case's is typed on (a caseless transfer's
    try), as the drafts list names beside its Släng; "" if none."""
    records = draft_records(draft.site_id, [(draft.id, draft.kind, draft.data)], masked=False)
    record = records.get(draft.id)
    return record.patient_ref if record is not None else ""


def discard_draft(*, draft_id: int, user: User) -> None:
    """Mark a draft as abandoned (kept, not deleted, and logged); once thrown away, it stays so.

    A second tap on "Släng" (or the list of another tablet) finds it thrown away already: that
    is what was asked, so it is no refusal, and logs nothing more. Another user's draft this
    user may not throw away is refused (DiscardRefused), and the attempt logged.
    """
    refused = False
    with write_transaction() as session:
        # Locked (PostgreSQL): of two discards at once, the second finds it thrown away.
        draft = session.get(Draft, draft_id, with_for_update=True)
        if draft is None or draft.site_id != user.site_id:
            raise DraftError("Utkastet finns inte.")
        if draft.is_done:
            sent = session.scalar(select(exists().where(Submission.key == draft.form_key)))
            if sent:
                # Sent, not thrown away: no list offers it, so a page from before the send.
                raise DraftError("Utkastet finns inte.")
            # Checked after: a secretary's second tap on the batch finds it off the batch.
            return
        # A form begun without a case names its patient as its other rows do (the number or
        # case code typed): else the patient's log extract would miss what was thrown away.
        case = typed_case(draft, user.site_id)
        patient = typed_patient(draft) or _record_patient(draft)
        detail = f"{form_of(draft)}: {draft.label}"
        if may_discard_draft(draft, user):
            draft.is_done = True
            draft.updated_at = utcnow()
            log_event("draft_discard", user=user, case=case, detail=detail, patient_ref=patient)
        else:
            # Committed with nothing else: the refusal is kept, the draft untouched.
            log_event(
                "draft_discard_refused", user=user, case=case, detail=detail, patient_ref=patient
            )
            refused = True
    if refused:
        raise DiscardRefused()
