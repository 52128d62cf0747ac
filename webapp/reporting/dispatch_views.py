"""Logging that the signed report was faxed to the referrer: HTTP only."""

from __future__ import annotations

from functools import partial

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..cases.errors import CaseError, CaseNotFound
from ..cases.fields import in_second_pass_if_refused
from ..cases.queries import get_case_or_404
from ..cases.services import record_view
from ..dispatch_rule import dispatch_status
from ..formutil import version_shown
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..offered_routines import offers_case_reviewer
from ..web import local_time
from . import bp
from .dispatch import (
    DISPATCH_ROLES,
    SIGNED_SINCE,
    DispatchResult,
    FaxedBeforeSigning,
    IdentityCorrectedSince,
    log_report_dispatch,
)
from .dispatch_page import dispatch_form
from .forms import DispatchForm
from .screen_page import return_to_screen

# Where a logged dispatch leads back to: the page the form was on.
_RETURN_TO = {"case": "cases.show", "screen": "reporting.screen"}


@bp.route("/<int:case_id>/dispatch", methods=["GET", "POST"])
@roles(*DISPATCH_ROLES)
def dispatch(case_id: int) -> ResponseReturnValue:
    """Log that the signed report was faxed to the referrer."""
    case = get_case_or_404(case_id, for_page=True)
    back = request.values.get("back", "case")
    form = DispatchForm() if request.method == "POST" else dispatch_form(case)
    refusal = ""
    if form.validate_on_submit():
        try:
            result = _log(case.id, form)
        except CaseNotFound:
            abort(404)
        except FaxedBeforeSigning as exc:
            message = _(exc.message, signed=local_time(exc.signed_at))
            form.faxed_at.errors = [*form.faxed_at.errors, message]
        except IdentityCorrectedSince as exc:
            form.fax_number.errors = [*form.fax_number.errors, refusal_text(exc)]
            # Sent again once the report naming the patient as now is faxed, the log covers it.
            form.identity_revision.data = str(case.identity_revision)
        except CaseError as exc:
            refusal = refusal_text(exc)
            if exc.message == SIGNED_SINCE:
                # Sent again once the new signature is printed and faxed, the log covers it.
                form.signature.data = dispatch_form(case).signature.data
        else:
            if result.replayed:
                flash(_("Faxningen var redan loggad."), "success")
            else:
                flash(_("Svaret är loggat som faxat till remittenten."), "success")
            endpoint = _RETURN_TO.get(back, "cases.show")
            if endpoint == "reporting.screen" and g.user.role != "radiologist":
                endpoint = "cases.show"
            if endpoint == "reporting.screen":
                return redirect(return_to_screen(case.id, "dispatch"))
            return redirect(url_for(endpoint, case_id=case.id) + "#dispatch")
    record_view(case, g.user, "dispatch_view")  # after a refused submit too
    status = 400 if form.errors or refusal else 200
    return render_template(
        "reporting/dispatch.html",
        case=case,
        form=form,
        refusal=refusal,
        dispatch=dispatch_status(case),
        back=back if back in _RETURN_TO else "case",
        # Sent from the reporting screen: sent again from here, it still returns to the report
        # being written.
        autosave_key=request.values.get("draft", ""),
        reviewer_offered=offers_case_reviewer(case.id, g.site_config.routines),
    ), status


def _log(case_id: int, form: DispatchForm) -> DispatchResult:
    """The log, with an autumn night's repeated hour read as its second pass if the first
    lies before the signature."""
    log = partial(
        log_report_dispatch,
        case_id=case_id,
        user=g.user,
        fax_number=form.fax_number.data or "",
        note=form.note.data or "",
        shown_signature=version_shown(form.signature.data),
        shown_identity=version_shown(form.identity_revision.data),
    )
    return in_second_pass_if_refused(lambda at: log(faxed_at=at), form.faxed_at, FaxedBeforeSigning)
