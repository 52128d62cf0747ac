"""The follow-up of an outage: its page and its sheet, for the secretaries and the admins."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from printforms import render_followup

from ..access import records, roles
from ..audit import log_list_read
from ..cases.submissions import SentOnce, payload_hash
from ..catchup.forms import CleanUpForm, clean_up_forms
from ..formutil import new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.errors import IncidentError
from ..incidents.queries import get_incident_or_404
from ..models import Incident, utcnow
from ..printing.responses import flash_print_failed, pdf_response
from ..printing.services import PrintFailed, PrintPlan, plan_list_print, print_pdf
from ..ris_pacs_left import cancelled_to_clean_up
from . import bp
from .deviation import DeviationUnchanged, set_deviation_number
from .forms import DeviationForm
from .report import followup_report
from .sheet import followup_sheet

# Those who work the catch-up and follow the outage up; the report names cases by their code,
# but its figures are of every patient of the outage.
FOLLOWERS = ("secretary", "admin")


def _page(
    incident: Incident,
    form: DeviationForm,
    clean_up: tuple[int, CleanUpForm] | None = None,
) -> str:
    report = followup_report(incident, g.site_config, utcnow())
    log_list_read("followup_view", codes=report.codes, incident_id=incident.id)
    if not form.form_key.data:
        form.form_key.data = new_form_key()
    to_clean_up = cancelled_to_clean_up([incident.id])
    return render_template(
        "followup/show.html",
        incident=incident,
        report=report,
        deviation_form=form,
        to_clean_up=to_clean_up,
        clean_up_forms=clean_up_forms(
            [c.case_id for c in to_clean_up if not c.is_cleaned], "followup", clean_up
        ),
    )


def render_followup_page(incident: Incident, *, clean_up: tuple[int, CleanUpForm]) -> str:
    """The follow-up page with a case's clean-up form as sent (clean_up: its case and form)."""
    form = DeviationForm(formdata=None, deviation_number=incident.deviation_number)
    return _page(incident, form, clean_up)


@bp.route("/<int:incident_id>/followup")
@roles(*FOLLOWERS)
def show(incident_id: int) -> ResponseReturnValue:
    """The outage's course and figures (provisional while it runs)."""
    incident = get_incident_or_404(incident_id)
    return _page(incident, DeviationForm(deviation_number=incident.deviation_number))


@bp.route("/<int:incident_id>/followup/deviation", methods=["POST"])
@roles(*FOLLOWERS)
def deviation(incident_id: int) -> ResponseReturnValue:
    """Record the deviation report's number: set it, change it, or (empty) remove it."""
    incident = get_incident_or_404(incident_id)
    form = DeviationForm()
    if not form.validate_on_submit():
        # What was typed stays, the why beside it.
        return _page(incident, form), 400
    url = url_for("followup.show", incident_id=incident.id)
    number = form.deviation_number.data or ""
    try:
        set_deviation_number(
            incident_id=incident.id,
            user=g.user,
            number=number,
            sent=SentOnce(form.form_key.data or "", payload_hash(request.form), url),
        )
    except DeviationUnchanged as exc:
        # Recorded from another tablet meanwhile: what was to be done is done.
        flash(refusal_text(exc), "info")
    except IncidentError as exc:
        form.deviation_number.errors = [refusal_text(exc)]
        return _page(incident, form), 409
    else:
        # A double tap is answered as its first tap was (form keys).
        flash(
            _("Avvikelsenumret är sparat.") if number else _("Avvikelsenumret är borttaget."),
            "success",
        )
    return redirect(url + "#deviation")


@bp.route("/<int:incident_id>/followup.pdf")
@roles(*FOLLOWERS)
@records
def pdf(incident_id: int) -> ResponseReturnValue:
    """The follow-up as a sheet to mail or take to the meeting; logged as a print."""
    incident = get_incident_or_404(incident_id)
    plan = plan_list_print(user=g.user, incident_id=incident.id, doc="followup")

    def draw(plan: PrintPlan) -> bytes:
        report = followup_report(incident, g.site_config, plan.at)
        return render_followup(followup_sheet(report, incident, g.site_config, plan.at))

    try:
        pdf = print_pdf(plan, draw)
    except PrintFailed:
        flash_print_failed()
        return redirect(url_for("followup.show", incident_id=incident_id))
    return pdf_response(pdf, f"uppfoljning-driftstopp-{incident_id}.pdf")
