"""Incident views that tick: a step of the routine, and the mark that the systems work again."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import any_role
from ..cases.submissions import SentOnce, item_form_key, payload_hash
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..storage_errors import is_redrawing
from . import bp
from .errors import IncidentError
from .forms import NoteForm, RestoredForm, StepForm
from .page import checklist_of, is_step, render_show
from .queries import get_incident_or_404
from .restore import set_restored
from .services import ScenarioChangedSince, set_step
from .tick_state import AlreadyTicked


@bp.route("/<int:incident_id>/steps", methods=["POST"])
@any_role
def tick(incident_id: int) -> ResponseReturnValue:
    """Tick or untick a step of the routine (logged with time and user)."""
    incident = get_incident_or_404(incident_id)
    form = StepForm()
    scenario = g.site_config.scenarios.get(incident.scenario)
    labels = checklist_of(scenario)
    follow_up = {n.key for n in scenario.follow_up} if scenario else set()
    if not form.validate_on_submit():
        if is_redrawing() and form.note.data:
            # The disk refused the tick: the note typed stays, in the incident's note box.
            return render_show(incident, NoteForm(formdata=None, data={"note": form.note.data}))
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
            return render_show(incident, kept), 409
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
                is_follow_up=form.step_key.data in follow_up,
                # A page drawn before this field was sent none: the tick is taken as before.
                drawn_for=form.scenario.data or None,
                sent=SentOnce(
                    item_form_key(page_key, form.step_key.data),
                    payload_hash(request.form),
                    url_for("incidents.show", incident_id=incident.id),
                ),
            )
        except ScenarioChangedSince as exc:
            flash(refusal_text(exc), "error")
            if form.note.data:
                kept = NoteForm(formdata=None, data={"note": form.note.data})
                return render_show(incident, kept), 409
        except AlreadyTicked as exc:
            # Another tablet was first: nothing is wrong, the page drawn now shows its tick.
            flash(refusal_text(exc), "info")
        except IncidentError as exc:
            flash(refusal_text(exc), "error")
    key = form.step_key.data or ""
    anchor = "#follow-up" if key in follow_up else "#steps" if is_step(key) else "#checklist"
    return redirect(url_for("incidents.show", incident_id=incident.id) + anchor)


@bp.route("/<int:incident_id>/restored", methods=["POST"])
@any_role
def restored(incident_id: int) -> ResponseReturnValue:
    """Mark that the systems work again (second tap), or undo a mark tapped by mistake."""
    incident = get_incident_or_404(incident_id)
    scenario = g.site_config.scenarios.get(incident.scenario)
    form = RestoredForm()
    if form.validate_on_submit():
        is_restored = form.restored.data == "1"
        try:
            set_restored(
                incident_id=incident.id,
                user=g.user,
                restored=is_restored,
                follow_up=scenario.follow_up if scenario else (),
                drawn_for=form.scenario.data or None,
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
