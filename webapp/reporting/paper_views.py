"""Keying in a report the radiologist wrote on the paper report template: HTTP only."""

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
from . import bp
from .faxed import NOT_A_RADIOLOGIST, FaxedOn, enter_faxed_report, report_refusal
from .forms import PaperReportForm
from .queries import site_radiologists

DRAFT_KIND = "paper_report"


@bp.route("/<int:case_id>/paper", methods=["GET", "POST"])
@roles("radiologist", "secretary")
def paper(case_id: int) -> ResponseReturnValue:
    """Key in a report written on the paper report template, in the radiologist's name."""
    case = get_case_or_404(case_id)
    form = PaperReportForm()
    form.author_id.choices = [("", _("– välj radiolog –")), *site_radiologists(g.user.site_id)]
    if request.method == "GET":
        form.fax_number.data = case.referral.reply_fax if case.referral else ""
        resume_form(form, DRAFT_KIND, case.id, g.user.site_id, request.args.get("draft", ""))
    if form.validate_on_submit():
        sections = [
            {"heading": "Fynd", "text": form.findings.data or ""},
            {"heading": "Bedömning", "text": form.conclusion.data or ""},
        ]
        chosen = form.author_id.data or ""
        try:
            entered = enter_faxed_report(
                case_id=case.id,
                user=g.user,
                author_name=form.author_name.data or "",
                received_at=form.written_at.data,
                sections=sections,
                state=form.state.data or "",
                is_urgent=bool(form.is_urgent.data),
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("cases.show", case_id=case.id),
                source="paper",
                author_id=int(chosen) if chosen else None,
                faxed_on=FaxedOn(form.fax_number.data or "", form.faxed_at.data)
                if form.already_faxed.data
                else None,
            )
        except SubmissionConflict as exc:
            # The text stays on the form; sent again, it goes under a new key.
            form.state.errors = [*form.state.errors, _(str(exc))]
            form.form_key.data = new_form_key()
        except CaseError as exc:  # a ReportError
            field = form.author_id if str(exc) == NOT_A_RADIOLOGIST else form.state
            field.errors = [*field.errors, _(str(exc))]
        else:
            confirm_saved(form.form_key.data or "")
            flash(
                _("Utlåtandet från papper är infört.")
                if entered is not None
                else _("Utlåtandet från papper var redan infört – inget dubblerades."),
                "success",
            )
            return redirect(url_for("cases.show", case_id=case.id))
    record_view(case, g.user, "paper_report_view")  # after a refused submit too
    status = 400 if form.errors else 200
    return render_template(
        "reporting/paper.html",
        case=case,
        form=form,
        # Said before a long report is typed, not only when it is sent.
        refusal=report_refusal(case.report, "paper"),
        offers=offered_drafts(DRAFT_KIND, case.id, g.user.site_id, form.form_key.data or ""),
        offer_form=ConfirmForm(),
    ), status
