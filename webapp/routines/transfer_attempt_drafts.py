"""The try form of a transfer's page as a draft (kind transfer_attempt): opened with the text of
the draft ?draft= names, and the other drafts of that form of that transfer offered beside it.

A transfer is no case: its draft names the transfer in a hidden field (draft_kinds.sheet_code),
and is continued on that transfer's page only.
"""

from __future__ import annotations

from flask import g, request

from ..draft_kinds import sheet_code
from ..draft_versions import DraftOffer, offered_drafts
from ..drafts.queries import draft_formdata, draft_to_continue
from ..formutil import new_form_key
from ..models import ImageTransfer
from .transfer_forms import AttemptForm

KIND = "transfer_attempt"


def opened_attempt_form(transfer: ImageTransfer) -> AttemptForm:
    """The try form as the page is opened: its draft's text if ?draft= names one of this
    transfer (typed before a reload, a login that ended, on another tablet), else empty."""
    form = AttemptForm(formdata=None)
    draft, key = draft_to_continue(
        request.args.get("draft", ""), g.user.site_id, KIND, transfer.case_id
    )
    # A draft of another transfer's try is not this one's: sent here, it would log the try on
    # the wrong images. This page starts empty then.
    if draft is not None and sheet_code(draft.kind, draft.data) != str(transfer.id):
        draft, key = None, new_form_key()
    if draft is not None:
        form.process(formdata=draft_formdata(form, draft.data))
    form.form_key.data = key
    return form


def attempt_offers(transfer: ImageTransfer, form: AttemptForm) -> list[DraftOffer]:
    """The open drafts of this transfer's try form other than the one the page shows."""
    return offered_drafts(
        KIND, transfer.case_id, g.user.site_id, form.form_key.data or "", str(transfer.id)
    )
