"""Incident views: declare, show the routine checklist, change the scenario, write a note.

Ticking the checklist is in checklist_views.py.

An incident is ended by closing it from the catch-up (`catchup.close`), which also writes the
final batch and takes a backup; there is no other way to end one.
"""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from ..access import any_role
from ..cases.errors import ContinuedElsewhere, SubmissionConflict
from ..cases.submissions import SentOnce, SubmitResult, payload_hash
from ..extensions import db
from ..formutil import confirm_saved, new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..models import Incident
from . import bp
from .forms import ConfirmForm, DeclareForm, NoteForm
from .late_note import keep_refused_note
from .note_drafts import opened_note_form
from .page import new_scenario_form, render_show, scenario_choices
from .queries import (
    get_incident_or_404,
    open_incidents,
    real_incident_beside_drill,
)
from .restored import systems_restored_at
from .services import (
    IncidentAlreadyOpen,
    IncidentError,
    add_note,
    change_scenario,
    declare_incident_once,
)
from .start import StartRefused

NOTE_AFTER_END = (
    "Driftstoppet är avslutat – anteckningen kom inte med i loggen. Texten är sparad på datorn "
    "under Utkast har kommit in efter att driftstoppet avslutades, överst på sidan. Säg till den "
    "som följer upp driftstoppet om något i den är viktigt."
)

# Called by the drill banner only, so other pages run no query for it.
bp.add_app_template_global(real_incident_beside_drill)
# The "systems work again" notice of the incident page, the board, the start page and the form.
bp.add_app_template_global(systems_restored_at)


@bp.route("/")
@any_role
def index() -> ResponseReturnValue:
    """All incidents of the site, open first."""
    incidents = db.session.scalars(
        select(Incident)
        .where(Incident.site_id == g.user.site_id)
        .order_by(Incident.ended_at.is_not(None), Incident.started_at.desc(), Incident.id.desc())
    ).all()
    return render_template("incidents/index.html", incidents=incidents)


@bp.route("/new", methods=["GET", "POST"])
@any_role
def declare() -> ResponseReturnValue:
    """Declare an incident by choosing what has stopped working."""
    form = DeclareForm()
    form.scenario.choices = scenario_choices()
    if request.method == "GET":
        form.form_key.data = new_form_key()
    already_open = None
    conflict = False
    if form.validate_on_submit():
        try:
            declared = declare_incident_once(
                user=g.user,
                config=g.site_config,
                scenario=form.scenario.data or "",
                is_drill=bool(form.is_drill.data),
                notes=form.notes.data or "",
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url_for_incident=lambda incident_id: url_for(
                    "incidents.show", incident_id=incident_id
                ),
                started_at=form.started_at.data,
            )
        except IncidentAlreadyOpen as exc:
            form.scenario.errors = [refusal_text(exc)]
            already_open = get_incident_or_404(exc.incident_id)
        except StartRefused as exc:
            form.started_at.errors = [refusal_text(exc)]
        except SubmissionConflict:
            # What was typed stays; sent again, it is a declaration of its own under a new key.
            form.notes.errors = [
                _(
                    "Formuläret har redan skickats med annat innehåll, och det driftstoppet är "
                    "registrerat. Skicka igen bara om ett driftstopp till ska registreras."
                )
            ]
            form.form_key.data = new_form_key()
            conflict = True
        except IncidentError as exc:
            form.scenario.errors = [refusal_text(exc)]
        else:
            if isinstance(declared, SubmitResult):
                # The first tap's answer, and the incident it chose for this tablet, may have
                # been dropped for the second tap's: the tablet works in the declared one.
                chosen = _declared_incident(declared.url)
                if chosen is not None:
                    session["incident_id"] = chosen
                flash(_("Driftstoppet var redan registrerat – inget dubblerades."), "success")
                return redirect(declared.url)
            session["incident_id"] = declared.id
            flash(_("Driftstoppet är registrerat. Följ rutinen nedan."), "success")
            return redirect(url_for("incidents.show", incident_id=declared.id))
    # A second system failing is the running outage's new scenario, not an outage of its own.
    running = [i for i in open_incidents(g.user.site_id) if not i.is_drill]
    status = 409 if already_open or conflict else 400 if form.errors else 200
    return render_template(
        "incidents/declare.html",
        form=form,
        already_open=already_open,
        running=running,
        confirm_form=ConfirmForm(),
    ), status


def _declared_incident(url: str) -> int | None:
    """The incident whose page a stored declaration led to (read back from its address)."""
    adapter = current_app.create_url_adapter(request)
    if adapter is None:
        return None
    try:
        endpoint, values = adapter.match(url.removeprefix(request.script_root), method="GET")
    except HTTPException:
        return None
    return int(values["incident_id"]) if endpoint == "incidents.show" else None


@bp.route("/<int:incident_id>")
@any_role
def show(incident_id: int) -> ResponseReturnValue:
    """The scenario's routine as a checklist, with the right numbers for now."""
    incident = get_incident_or_404(incident_id)
    return render_show(incident, opened_note_form(incident))


@bp.route("/<int:incident_id>/scenario", methods=["POST"])
@any_role
def scenario(incident_id: int) -> ResponseReturnValue:
    """Change what has stopped working; the routine shown follows."""
    incident = get_incident_or_404(incident_id)
    form = new_scenario_form(incident)
    shown = form.scenario.choices
    # The scenario it now has is taken too: a resent form replays its change (the service
    # refuses that scenario from any other form).
    form.scenario.choices = scenario_choices()
    valid = form.validate_on_submit()
    form.scenario.choices = shown
    taken = None
    url = url_for("incidents.show", incident_id=incident.id)
    if valid:
        try:
            change_scenario(
                incident_id=incident.id,
                user=g.user,
                config=g.site_config,
                scenario=form.scenario.data or "",
                sent=SentOnce(form.form_key.data or "", payload_hash(request.form), url),
            )
        except IncidentAlreadyOpen as exc:
            form.scenario.errors = [refusal_text(exc)]
            taken = get_incident_or_404(exc.incident_id)
        except IncidentError as exc:
            form.scenario.errors = [refusal_text(exc)]
            if not incident.is_open:
                # Ended meanwhile: its page draws no scenario form to show the refusal beside.
                flash(refusal_text(exc), "error")
        else:
            flash(
                _("Scenariot är ändrat. Följ den nya rutinen och gör kontakterna på nytt."),
                "success",
            )
            return redirect(url)
    return render_show(incident, NoteForm(formdata=None), form, taken), 400


@bp.route("/<int:incident_id>/select", methods=["POST"])
@any_role
def select_current(incident_id: int) -> ResponseReturnValue:
    """Make this incident the one this tablet works in."""
    incident = get_incident_or_404(incident_id)
    if ConfirmForm().validate_on_submit():
        session["incident_id"] = incident.id
    return redirect(url_for("incidents.show", incident_id=incident.id))


@bp.route("/<int:incident_id>/notes", methods=["POST"])
@any_role
def note(incident_id: int) -> ResponseReturnValue:
    """Write a note in the incident log."""
    incident = get_incident_or_404(incident_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            add_note(
                incident_id=incident.id,
                user=g.user,
                note=form.note.data or "",
                sent=SentOnce(
                    form.form_key.data or "",
                    payload_hash(request.form),
                    url_for("incidents.show", incident_id=incident.id),
                    # The form autosaves: its draft is done with in the same transaction.
                    True,
                ),
            )
        except ContinuedElsewhere as exc:
            # Drawn with its choice inside the form, above its submit (older_copy_choice).
            flash(refusal_text(exc), "error")
            return render_show(incident, form), 409
        except IncidentError as exc:
            # Beside the note, its text kept: closed meanwhile (a tablet still showing the open
            # page), the page draws the refused note alone, for the user to copy it.
            db.session.refresh(incident)
            if not incident.is_open:
                # Kept as its autosave would be after the end (a late draft), so the page's
                # word that it is saved is true, and nothing typed is lost.
                keep_refused_note(
                    incident_id=incident.id,
                    user=g.user,
                    note=form.note.data or "",
                    form_key=form.form_key.data or "",
                )
            form.note.errors = [NOTE_AFTER_END if not incident.is_open else refusal_text(exc)]
            if isinstance(exc.__cause__, SubmissionConflict):
                # Sent again, the same key would be refused again: the text goes as a note of
                # its own.
                form.form_key.data = new_form_key()
            return render_show(incident, form), 409
        else:
            # A double tap is answered as its first tap was (form keys).
            confirm_saved(form.form_key.data or "")
            flash(_("Anteckningen är sparad."), "success")
            return redirect(url_for("incidents.show", incident_id=incident.id) + "#log")
    return render_show(incident, form), 400
