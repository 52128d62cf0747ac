"""The case page's autosaved forms as opened: each continues its draft, and offers the others.

The cancel's reason, the restore's reason, the notice to the referrer and the call after a
restore are drafts of the case (draft_kinds). The page is continued with one ?draft=: the form of
that draft's kind takes it, and a key the laptop has no draft of (typed offline on a tablet) is
taken by one form only, so no two forms of the page autosave under one key: the form of the
kind the tablet's link names (?draft_kind=), else the first drawn.
"""

from __future__ import annotations

from typing import TypeVar

from ..draft_versions import DraftOffer, offers_by_kind
from ..drafts.queries import resume_form
from ..formutil import BaseForm, new_form_key
from ..models import Case, utcnow
from ..reporting.forms import CallForm
from .notice_forms import CancelNoticeForm

F = TypeVar("F", bound=BaseForm)


class PageDrafts:
    """The drafts ?draft= may name, handed to the forms the page draws."""

    def __init__(
        self, case_id: int, site_id: int, requested_key: str, requested_kind: str = ""
    ) -> None:
        self.case_id = case_id
        self.site_id = site_id
        self.requested_key = requested_key
        self.requested_kind = requested_kind

    def resume(self, form: F, kind: str) -> F:
        """The form with the text of the draft it continues and the key it autosaves under."""
        named_other = bool(self.requested_kind) and self.requested_kind != kind
        requested = "" if named_other else self.requested_key
        resume_form(form, kind, self.case_id, self.site_id, requested)
        if self.requested_key and form["form_key"].data == self.requested_key:
            # Taken: every other form of the page autosaves under a key of its own.
            self.requested_key = ""
        return form

    def offers(self, forms: dict[str, BaseForm | None]) -> dict[str, list[DraftOffer]]:
        """Per kind of form drawn, its other open drafts of the case, to continue or throw away:
        every kind in one read. A kind whose form is not drawn (None) is not read, and gets none.
        """
        drawn = {kind: form for kind, form in forms.items() if form is not None}
        keys = {kind: form["form_key"].data or "" for kind, form in drawn.items()}
        return offers_by_kind(keys, self.case_id, self.site_id)


def fresh(form: F) -> F:
    """A form not drawn as a draft's: a key of its own."""
    form["form_key"].data = new_form_key()
    return form


def notice_form(case: Case) -> CancelNoticeForm:
    """Prefilled with the referral's reply fax and the time now, as a report's fax log is."""
    form = fresh(CancelNoticeForm(formdata=None))
    form.kind.data = "faxed"
    form.fax_number.data = case.referral.reply_fax if case.referral else ""
    form.faxed_at.data = utcnow()
    return form


def call_form(case: Case) -> CallForm:
    """Prefilled with the referrer and their phone, and the time now, as an urgent call is."""
    form = fresh(CallForm(formdata=None))
    if case.referral:
        form.called_person.data = case.referral.referrer_clinician or case.referral.referrer_unit
        form.phone_number.data = case.referral.referrer_phone
    form.called_at.data = utcnow()
    return form
