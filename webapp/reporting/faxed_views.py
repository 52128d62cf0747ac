"""Entering a report that arrived by fax: HTTP only."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..cases.errors import CaseError
from ..cases.queries import get_case_or_404
from ..cases.services import record_view
from ..cases.submissions import payload_hash
from ..formutil import new_form_key
from ..i18n import gettext as _
from ..models import utcnow
from . import bp
from .faxed import enter_faxed_report
from .forms import FaxReportForm


@bp.route("/<int:case_id>/fax", methods=["GET", "POST"])
@roles("radiologist", "secretary")
def fax(case_id: int) -> ResponseReturnValue:
    """Enter a report that arrived by fax (e.g. from the external night reviewer)."""
    case = get_case_or_404(case_id)
    form = FaxReportForm()
    if request.method == "GET":
        form.received_at.data = utcnow()
        form.form_key.data = new_form_key()
    if form.validate_on_submit():
        sections = [
            {"heading": "Fynd", "text": form.findings.data or ""},
            {"heading": "Bedömning", "text": form.conclusion.data or ""},
        ]
        try:
            enter_faxed_report(
                case_id=case.id,
                user=g.user,
                author_name=form.author_name.data or "",
                received_at=form.received_at.data,
                sections=sections,
                state=form.state.data or "",
                is_urgent=bool(form.is_urgent.data),
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("cases.show", case_id=case.id),
            )
        except CaseError as exc:  # a ReportError, or the key sent again with other content
            # Beside the signature state: what the case's report already is decides the refusal.
            form.state.errors = [*form.state.errors, str(exc)]
        else:
            flash(_("Det faxade utlåtandet är infört."), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    record_view(case, g.user, "fax_report_view")  # after a refused submit too
    status = 400 if form.errors else 200
    return render_template("reporting/fax.html", case=case, form=form), status
