"""The try form of a transfer's page as a draft (kind transfer_attempt): opened with the text of
the draft ?draft= names, and the other drafts of that form of that transfer offered beside it.

A transfer is no case: its draft names the transfer in a hidden field (draft_kinds.sheet_code),
and is continued on that transfer's page only.
"""

from __future__ import annotations

from flask import g, request

from ..draft_versions import DraftOffer, offered_drafts
from ..drafts.queries import resume_record_form
from ..models import ImageTransfer
from .transfer_forms import AttemptForm

KIND = "transfer_attempt"


def opened_attempt_form(transfer: ImageTransfer) -> AttemptForm:
    """The try form as the page is opened: its draft's text if ?draft= names one of this
    transfer (typed before a reload, a login that ended, on another tablet), else empty."""
    form = AttemptForm(formdata=None)
    # Not another transfer's try: sent here, it would log the try on the wrong images.
    resume_record_form(
        form, KIND, transfer.id, transfer.case_id, g.user.site_id, request.args.get("draft", "")
    )
    return form


def attempt_offers(transfer: ImageTransfer, form: AttemptForm) -> list[DraftOffer]:
    """The open drafts of this transfer's try form other than the one the page shows."""
    return offered_drafts(
        KIND, transfer.case_id, g.user.site_id, form.form_key.data or "", str(transfer.id)
    )
