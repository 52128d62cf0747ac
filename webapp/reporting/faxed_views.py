"""Entering a report that arrived by fax: HTTP only."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..cases.errors import CaseError, SubmissionConflict
from ..cases.queries import get_case_or_404
from ..cases.services import record_view
from ..cases.submissions import payload_hash
from ..draft_versions import offered_drafts
from ..drafts.queries import resume_form
from ..formutil import confirm_saved, new_form_key
from ..i18n import gettext as _
from ..incidents.forms import ConfirmForm
from ..models import utcnow
from . import bp
from .faxed import enter_faxed_report, report_refusal
from .forms import FaxReportForm

DRAFT_KIND = "fax_report"


@bp.route("/<int:case_id>/fax", methods=["GET", "POST"])
@roles("radiologist", "secretary")
def fax(case_id: int) -> ResponseReturnValue:
    """Enter a report that arrived by fax (e.g. from the external night reviewer)."""
    case = get_case_or_404(case_id)
    form = FaxReportForm()
    if request.method == "GET":
        form.received_at.data = utcnow()
        # A long report typed on another tablet (or before Wi-Fi dropped) continues here.
        resume_form(form, DRAFT_KIND, case.id, g.user.site_id, request.args.get("draft", ""))
    if form.validate_on_submit():
        sections = [
            {"heading": "Fynd", "text": form.findings.data or ""},
            {"heading": "Bedömning", "text": form.conclusion.data or ""},
        ]
        try:
            entered = enter_faxed_report(
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
        except SubmissionConflict as exc:
            # The text stays on the form; sent again, it goes under a new key.
            form.state.errors = [*form.state.errors, _(str(exc))]
            form.form_key.data = new_form_key()
        except CaseError as exc:  # a ReportError
            # Beside the signature state: what the case's report already is decides the refusal.
            form.state.errors = [*form.state.errors, _(str(exc))]
        else:
            confirm_saved(form.form_key.data or "")
            flash(
                _("Det faxade utlåtandet är infört.")
                if entered is not None
                else _("Det faxade utlåtandet var redan infört – inget dubblerades."),
                "success",
            )
            return redirect(url_for("cases.show", case_id=case.id))
    record_view(case, g.user, "fax_report_view")  # after a refused submit too
    status = 400 if form.errors else 200
    return render_template(
        "reporting/fax.html",
        case=case,
        form=form,
        # Said before a long report is typed, not only when it is sent.
        refusal=report_refusal(case.report),
        offers=offered_drafts(DRAFT_KIND, case.id, g.user.site_id, form.form_key.data or ""),
        offer_form=ConfirmForm(),
    ), status
