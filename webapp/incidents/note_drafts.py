"""The note form of an incident's log as a draft (kind incident_note): opened with the text of
the draft ?draft= names, and the other drafts of that incident's note offered beside it.

An incident is no case: its draft names the incident in a hidden field (draft_kinds.sheet_code),
and is continued on that incident's page only.
"""

from __future__ import annotations

from flask import g, request

from ..draft_kinds import sheet_code
from ..draft_versions import DraftOffer, offered_drafts
from ..drafts.queries import draft_formdata, draft_to_continue
from ..formutil import new_form_key
from ..models import Incident
from .forms import NoteForm

KIND = "incident_note"


def opened_note_form(incident: Incident) -> NoteForm:
    """The note form as the page is opened: its draft's text if ?draft= names one of this
    incident (typed before a reload, a login that ended, on another tablet), else empty."""
    form = NoteForm(formdata=None)
    draft, key = draft_to_continue(request.args.get("draft", ""), g.user.site_id, KIND, None)
    # A note typed in another outage's log is not this one's: sent here, it would be logged in
    # the wrong outage. This page starts empty then.
    if draft is not None and sheet_code(draft.kind, draft.data) != str(incident.id):
        draft, key = None, new_form_key()
    if draft is not None:
        form.process(formdata=draft_formdata(form, draft.data))
    form.form_key.data = key
    return form


def note_offers(incident: Incident, form: NoteForm) -> list[DraftOffer]:
    """The open drafts of this incident's note other than the one the page shows."""
    return offered_drafts(KIND, None, g.user.site_id, form.form_key.data or "", str(incident.id))
