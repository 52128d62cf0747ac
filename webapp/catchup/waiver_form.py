"""The waiver's form on a case's catch-up page: its reason autosaves as a draft of the case."""

from __future__ import annotations

from flask import request

from ..draft_versions import DraftOffer, offered_drafts
from ..drafts.queries import resume_form
from .forms import WaiveForm


def waiver_form(
    case_id: int, site_id: int, given: object = None
) -> tuple[WaiveForm, list[DraftOffer]]:
    """The form as sent back (`given`, a refused waiver) or opened, and the other drafts of it.

    Opened, it continues the draft ?draft= names (a reload, another tablet, the drafts list).
    """
    if isinstance(given, WaiveForm):
        form = given
    else:
        form = WaiveForm(formdata=None)
        resume_form(form, "waiver", case_id, site_id, request.args.get("draft", ""))
    offers = offered_drafts("waiver", case_id, site_id, form.form_key.data or "")
    return form, offers
