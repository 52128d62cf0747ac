"""Logging the phone call to the referrer about an urgent finding: HTTP only."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..cases.queries import get_case_or_404
from ..cases.services import record_view
from ..i18n import gettext as _
from . import bp
from .case_services import log_urgent_call
from .forms import CallForm
from .queries import calls_for
from .screen_page import call_form
from .services import ReportError


@bp.route("/<int:case_id>/call", methods=["GET", "POST"])
@roles("radiologist", "secretary")
def call(case_id: int) -> ResponseReturnValue:
    """Log the phone call to the referrer about an urgent finding."""
    case = get_case_or_404(case_id)
    # Back to the reporting screen the radiologist came from (only a radiologist has one).
    back = (
        "screen" if request.values.get("back") == "screen" and g.user.role == "radiologist" else ""
    )
    form = CallForm() if request.method == "POST" else call_form(case)
    if form.validate_on_submit():
        try:
            log_urgent_call(
                case_id=case.id,
                user=g.user,
                called_person=form.called_person.data or "",
                phone_number=form.phone_number.data or "",
                called_at=form.called_at.data,
                note=form.note.data or "",
            )
        except ReportError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Samtalet är loggat."), "success")
            if back == "screen":
                return redirect(url_for("reporting.screen", case_id=case.id))
            return redirect(url_for("cases.show", case_id=case.id))
    record_view(case, g.user, "call_view")  # after a refused submit too
    status = 400 if form.errors else 200
    return render_template(
        "reporting/call.html", case=case, form=form, calls=calls_for(case.id), back=back
    ), status
