"""The waiver's form on a case's catch-up page: its reason autosaves as a draft of the case."""

from __future__ import annotations

from flask import request

from ..draft_versions import DraftOffer, offered_drafts
from ..drafts.queries import resume_form
from .forms import WaiveForm


def waiver_form(
    case_id: int, site_id: int, given: object = None, *, is_offered: bool = True
) -> tuple[WaiveForm, list[DraftOffer]]:
    """The form as sent back (`given`, a refused waiver) or opened, and the other drafts of it.

    Opened, it continues the draft ?draft= names (a reload, another tablet, the drafts list).
    `is_offered`: whether the page draws the form; where it does not (an ended outage, a case
    waived, closed or cancelled) no draft of it is read.
    """
    if isinstance(given, WaiveForm):
        form = given
    elif not is_offered:
        return WaiveForm(formdata=None), []
    else:
        form = WaiveForm(formdata=None)
        resume_form(form, "waiver", case_id, site_id, request.args.get("draft", ""))
    if not is_offered:
        return form, []
    return form, offered_drafts("waiver", case_id, site_id, form.form_key.data or "")
