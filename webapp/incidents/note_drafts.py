"""The note form of an incident's log as a draft (kind incident_note): opened with the text of
the draft ?draft= names, and the other drafts of that incident's note offered beside it.

An incident is no case: its draft names the incident in a hidden field (draft_kinds.sheet_code),
and is continued on that incident's page only.
"""

from __future__ import annotations

from flask import g, request

from ..draft_versions import DraftOffer, offered_drafts
from ..drafts.queries import resume_record_form
from ..models import Incident
from .forms import NoteForm

KIND = "incident_note"


def opened_note_form(incident: Incident) -> NoteForm:
    """The note form as the page is opened: its draft's text if ?draft= names one of this
    incident (typed before a reload, a login that ended, on another tablet), else empty."""
    form = NoteForm(formdata=None)
    # Not another outage's note: sent here, it would be logged in the wrong outage.
    resume_record_form(form, KIND, incident.id, None, g.user.site_id, request.args.get("draft", ""))
    return form


def note_offers(incident: Incident, form: NoteForm) -> list[DraftOffer]:
    """The open drafts of this incident's note other than the one the page shows."""
    return offered_drafts(KIND, None, g.user.site_id, form.form_key.data or "", str(incident.id))
