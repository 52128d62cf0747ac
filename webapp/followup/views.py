"""The follow-up of an outage: its page and its sheet, for the secretaries and the admins."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from printforms import render_followup

from ..access import records, roles
from ..audit import log_list_read
from ..cases.errors import ContinuedElsewhere
from ..cases.submissions import SentOnce, payload_hash
from ..catchup.forms import CleanUpForm, clean_up_forms
from ..draft_versions import offered_drafts
from ..drafts.queries import resume_record_form
from ..formutil import confirm_saved, new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.errors import IncidentError
from ..incidents.forms import ConfirmForm
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
# The deviation number's form autosaves as a draft of this kind, under its incident.
KIND = "deviation"


def _page(
    incident: Incident,
    form: DeviationForm,
    clean_up: tuple[int, CleanUpForm] | None = None,
) -> str:
    report = followup_report(incident, g.site_config, utcnow())
    log_list_read("followup_view", codes=report.codes, incident_id=incident.id)
    if not form.form_key.data:
        form.form_key.data = new_form_key()
    key = form.form_key.data or ""
    to_clean_up = cancelled_to_clean_up([incident.id])
    return render_template(
        "followup/show.html",
        incident=incident,
        report=report,
        deviation_form=form,
        # Not beside a case's clean-up sent from elsewhere: its page's arguments name no
        # incident, so an offer's link could not be built (drafts/_offer.html).
        offers=[]
        if clean_up is not None
        else offered_drafts(KIND, None, g.user.site_id, key, str(incident.id)),
        offer_form=ConfirmForm(),
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
    return _page(incident, opened_deviation_form(incident))


def opened_deviation_form(incident: Incident) -> DeviationForm:
    """The number's form as the page is opened: its draft's text if ?draft= names one of this
    incident (typed before a reload, a login that ended, on another tablet), else the number
    recorded."""
    form = DeviationForm(formdata=None, deviation_number=incident.deviation_number)
    # Not another outage's number: sent here, it would name the wrong report.
    resume_record_form(form, KIND, incident.id, None, g.user.site_id, request.args.get("draft", ""))
    return form


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
            # The form autosaves: its draft is done with in the same transaction.
            sent=SentOnce(form.form_key.data or "", payload_hash(request.form), url, True),
        )
    except ContinuedElsewhere as exc:
        # Drawn with its choice inside the form, above its submit (older_copy_choice).
        flash(refusal_text(exc), "error")
        return _page(incident, form), 409
    except DeviationUnchanged as exc:
        # Recorded from another tablet meanwhile: what was to be done is done.
        flash(refusal_text(exc), "info")
    except IncidentError as exc:
        form.deviation_number.errors = [refusal_text(exc)]
        return _page(incident, form), 409
    else:
        confirm_saved(form.form_key.data or "")
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
