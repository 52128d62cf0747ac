"""The follow-up of an outage: its page and its sheet, for the secretaries and the admins."""

from __future__ import annotations

from flask import g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from printforms import render_followup

from ..access import records, roles
from ..audit import log_list_read
from ..incidents.queries import get_incident_or_404
from ..models import utcnow
from ..printing.responses import flash_print_failed, pdf_response
from ..printing.services import PrintFailed, PrintPlan, plan_list_print, print_pdf
from . import bp
from .report import duration_text, followup_report
from .sheet import followup_sheet

# Those who work the catch-up and follow the outage up; the report names cases by their code,
# but its figures are of every patient of the outage.
FOLLOWERS = ("secretary", "admin")

bp.add_app_template_filter(duration_text, "duration")


@bp.route("/<int:incident_id>/followup")
@roles(*FOLLOWERS)
def show(incident_id: int) -> ResponseReturnValue:
    """The outage's course and figures (provisional while it runs)."""
    incident = get_incident_or_404(incident_id)
    report = followup_report(incident, g.site_config, utcnow())
    log_list_read("followup_view", codes=report.codes, incident_id=incident.id)
    return render_template("followup/show.html", incident=incident, report=report)


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
