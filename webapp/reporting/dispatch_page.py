"""What a page showing the dispatch panel (reporting/_dispatch.html) passes to it.

Apart from the views: the case page imports it while the reporting package may still be loading.
"""

from __future__ import annotations

from typing import Any

from flask import g

from ..dispatch_rule import dispatch_status
from ..models import Case, utcnow
from ..offered_routines import offers_case_reviewer
from .dispatch import DISPATCH_ROLES
from .forms import DispatchForm


def dispatch_form(case: Case) -> DispatchForm:
    """The form prefilled with the referral's reply fax and the time now."""
    form = DispatchForm(formdata=None)
    form.fax_number.data = case.referral.reply_fax if case.referral else ""
    form.faxed_at.data = utcnow()
    signatures = case.report.signatures if case.report else []
    form.signature.data = str(max(s.id for s in signatures)) if signatures else ""
    form.identity_revision.data = str(case.identity_revision)
    return form


def dispatch_context(case: Case, back: str) -> dict[str, Any]:
    """What a page showing the dispatch panel (reporting/_dispatch.html) passes to it."""
    return {
        "dispatch": dispatch_status(case),
        "dispatch_form": dispatch_form(case),
        "can_dispatch": g.user.role in DISPATCH_ROLES,
        "back": back,
        # The panel's hint and the case page's link name the case's reviewer page.
        "reviewer_offered": offers_case_reviewer(case.id, g.site_config.routines),
    }
