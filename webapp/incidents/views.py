"""Incident views: declare, show the routine checklist, tick.

An incident is ended by closing it from the catch-up (`catchup.close`), which also writes the
final batch and takes a backup; there is no other way to end one.
"""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from ..access import any_role
from ..audit import log_list_read
from ..cases.errors import SubmissionConflict
from ..cases.submissions import SentOnce, SubmitResult, item_form_key, payload_hash
from ..checklist_keys import REVIEWER_ADMIN_KEY, REVIEWER_PREFIX, STEP_PREFIX, keyed
from ..extensions import db
from ..formutil import choices, new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..late_drafts import late_drafts
from ..models import Incident
from ..siteconfig import APP_STEP_KEYS, Scenario
from ..web import local_now
from . import bp
from .closing import outstanding_count
from .forms import ConfirmForm, DeclareForm, NoteForm, RestoredForm, ScenarioForm, StepForm
from .queries import (
    get_incident_or_404,
    log_entries,
    open_incidents,
    real_incident_beside_drill,
    removed_ticks,
    step_states,
)
from .restore import set_restored
from .restored import systems_restored_at
from .services import (
    IncidentAlreadyOpen,
    IncidentError,
    add_note,
    change_scenario,
    declare_incident_once,
    set_step,
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
    form.scenario.choices = choices((k, s.name) for k, s in g.site_config.scenarios.items())
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
            )
        except IncidentAlreadyOpen as exc:
            form.scenario.errors = [refusal_text(exc)]
            already_open = get_incident_or_404(exc.incident_id)
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


def _scenario_form(incident: Incident) -> ScenarioForm:
    form = ScenarioForm()
    form.scenario.choices = choices(
        (k, s.name) for k, s in g.site_config.scenarios.items() if k != incident.scenario
    )
    return form


def _steps(scenario: Scenario | None) -> dict[str, str]:
    """The routine's "Gör så här" steps by key (made from their text)."""
    return keyed(STEP_PREFIX, scenario.steps) if scenario else {}


def _checklist(scenario: Scenario | None) -> dict[str, str]:
    """What the scenario's routine lets staff tick, by key: steps, notifications, follow-up.

    The "Ring nu" contacts are not ticked: calling IT or the TiB is ticked as the notification
    it makes ("IT-support kontaktad"), and a second tick of the same call would disagree.
    """
    if scenario is None:
        return {}
    labels = _steps(scenario)
    labels.update({n.key: n.label for n in scenario.notifications})
    labels.update({n.key: n.label for n in scenario.follow_up})
    return labels


def _of_routine(key: str) -> bool:
    # The log also holds the app's own entries and the reviewer page's ticks.
    own = key in APP_STEP_KEYS or key == REVIEWER_ADMIN_KEY
    return not (own or key.startswith(REVIEWER_PREFIX))


def _is_step(key: str) -> bool:
    return key.startswith(STEP_PREFIX)


def _is_other_item(key: str) -> bool:
    return _of_routine(key) and not _is_step(key)


def _render_show(
    incident: Incident,
    note_form: NoteForm,
    scenario_form: ScenarioForm | None = None,
    scenario_taken: Incident | None = None,
) -> str:
    scenario = g.site_config.scenarios.get(incident.scenario)
    scenario_form = scenario_form or _scenario_form(incident)
    for form in (note_form, scenario_form):
        if not form.form_key.data:
            form.form_key.data = new_form_key()
    now = local_now().replace(tzinfo=None)
    calls = []
    if scenario:
        for key in scenario.calls:
            calls.append((g.site_config.contacts[key], g.site_config.contact_now(key, now)))
    states = step_states(incident.id, since_scenario=True)
    shown = _checklist(scenario)
    late = late_drafts(g.user.site_id, incident.id) if incident.ended_at else []
    if late:
        log_list_read(
            "late_drafts_view",
            codes=[d.case_code or d.typed_code for d in late],
            patients=[d.typed_patient for d in late],
            incident_id=incident.id,
        )
    return render_template(
        "incidents/show.html",
        incident=incident,
        scenario=scenario,
        calls=calls,
        steps=_steps(scenario),
        states=states,
        # Each list's removed ticks under that list: a step done stays with the steps.
        removed_steps=removed_ticks(states, shown, _is_step),
        removed=removed_ticks(states, shown, _is_other_item),
        entries=log_entries(incident.id),
        note_form=note_form,
        scenario_form=scenario_form,
        scenario_taken=scenario_taken,
        confirm_form=ConfirmForm(),
        restored_form=RestoredForm(formdata=None),
        # One key for the page's one-tap forms (its ticks, the restored mark).
        page_key=new_form_key(),
        outstanding=outstanding_count(incident.id),
        late=late,
    )


@bp.route("/<int:incident_id>")
@any_role
def show(incident_id: int) -> ResponseReturnValue:
    """The scenario's routine as a checklist, with the right numbers for now."""
    return _render_show(get_incident_or_404(incident_id), NoteForm())


@bp.route("/<int:incident_id>/scenario", methods=["POST"])
@any_role
def scenario(incident_id: int) -> ResponseReturnValue:
    """Change what has stopped working; the routine shown follows."""
    incident = get_incident_or_404(incident_id)
    form = _scenario_form(incident)
    shown = form.scenario.choices
    # The scenario it now has is taken too: a resent form replays its change (the service
    # refuses that scenario from any other form).
    form.scenario.choices = choices((k, s.name) for k, s in g.site_config.scenarios.items())
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
        else:
            flash(
                _("Scenariot är ändrat. Följ den nya rutinen och gör kontakterna på nytt."),
                "success",
            )
            return redirect(url)
    return _render_show(incident, NoteForm(formdata=None), form, taken), 400


@bp.route("/<int:incident_id>/select", methods=["POST"])
@any_role
def select_current(incident_id: int) -> ResponseReturnValue:
    """Make this incident the one this tablet works in."""
    incident = get_incident_or_404(incident_id)
    if ConfirmForm().validate_on_submit():
        session["incident_id"] = incident.id
    return redirect(url_for("incidents.show", incident_id=incident.id))


@bp.route("/<int:incident_id>/steps", methods=["POST"])
@any_role
def tick(incident_id: int) -> ResponseReturnValue:
    """Tick or untick a step of the routine (logged with time and user)."""
    incident = get_incident_or_404(incident_id)
    form = StepForm()
    scenario = g.site_config.scenarios.get(incident.scenario)
    labels = _checklist(scenario)
    if not form.validate_on_submit():
        flash(_("Steget kunde inte sparas."), "error")
    elif form.step_key.data not in labels:
        # Keys are made from the text: the step was reworded or removed, or the scenario
        # changed, since this page was drawn. The page drawn now has the routine that holds.
        flash(
            _(
                "Rutinen har ändrats sedan sidan öppnades, så steget bockades inte av. Stegen "
                "nedan är de som gäller nu: bocka av igen om det fortfarande stämmer."
            ),
            "error",
        )
        if form.note.data:
            kept = NoteForm(formdata=None, data={"note": form.note.data})
            return _render_show(incident, kept), 409
    else:
        page_key = form.form_key.data or ""
        try:
            set_step(
                incident_id=incident.id,
                user=g.user,
                step_key=form.step_key.data,
                label=labels[form.step_key.data],
                is_done=form.is_done.data == "1",
                note=form.note.data or "",
                sent=SentOnce(
                    item_form_key(page_key, form.step_key.data),
                    payload_hash(request.form),
                    url_for("incidents.show", incident_id=incident.id),
                ),
            )
        except IncidentError as exc:
            flash(refusal_text(exc), "error")
    follow_up = {n.key for n in scenario.follow_up} if scenario else set()
    key = form.step_key.data or ""
    anchor = "#follow-up" if key in follow_up else "#steps" if _is_step(key) else "#checklist"
    return redirect(url_for("incidents.show", incident_id=incident.id) + anchor)


@bp.route("/<int:incident_id>/restored", methods=["POST"])
@any_role
def restored(incident_id: int) -> ResponseReturnValue:
    """Mark that the systems work again (second tap), or undo a mark tapped by mistake."""
    incident = get_incident_or_404(incident_id)
    form = RestoredForm()
    if form.validate_on_submit():
        is_restored = form.restored.data == "1"
        try:
            set_restored(
                incident_id=incident.id,
                user=g.user,
                restored=is_restored,
                sent=SentOnce(
                    form.form_key.data or "",
                    payload_hash(request.form),
                    url_for("incidents.show", incident_id=incident.id),
                ),
            )
        except IncidentError as exc:
            flash(refusal_text(exc), "error")
        else:
            flash(
                _("Systemen fungerar igen. Gör uppföljningen nedan; efterregistreringen pågår.")
                if is_restored
                else _("Markeringen är ångrad: driftstoppet arbetar på papper igen."),
                "success",
            )
    else:
        flash(_("Formuläret kunde inte sparas. Försök igen."), "error")
    return redirect(url_for("incidents.show", incident_id=incident.id) + "#restored")


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
                ),
            )
        except IncidentError as exc:
            flash(refusal_text(exc), "error")
        else:
            flash(_("Anteckningen är sparad."), "success")
            return redirect(url_for("incidents.show", incident_id=incident.id) + "#log")
    return _render_show(incident, form), 400
