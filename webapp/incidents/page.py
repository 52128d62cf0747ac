"""The incident page as every incident view draws it: the routine as a checklist, the log."""

from __future__ import annotations

from flask import g, render_template
from wtforms import SelectChoice

from ..audit import log_list_read
from ..cases.cancel_notice import unnotified_cases
from ..checklist_keys import REVIEWER_PREFIX, STEP_PREFIX, keyed
from ..formutil import new_form_key, page_in_english, site_choices
from ..incident_log_labels import read_label
from ..late_drafts import late_drafts
from ..models import Incident, IncidentLogEntry
from ..pacs_rule import only_on_modality_count
from ..routines.queries import contacts_now
from ..siteconfig import APP_STEP_KEYS, Scenario
from ..web import local_now
from .closing import outstanding_count
from .forms import ConfirmForm, NoteForm, RestoredForm, ScenarioForm
from .note_drafts import note_offers
from .queries import log_entries, removed_ticks, step_states
from .restored import follow_up_keys, systems_restored_at
from .uncounted import uncounted_ticks


def _moved_cases(entries: list[IncidentLogEntry]) -> list[str]:
    """The codes of the cases whose move, with its reason, the log shows."""
    codes = []
    for entry in entries:
        if entry.step_key != IncidentLogEntry.CASE_MOVE or not entry.note:
            continue
        read = read_label(entry.step_key, entry.label)
        # A label in earlier words still holds the code: the extract's search finds it there.
        codes.append(read[1]["code"] if read is not None else entry.label)
    return codes


def scenario_choices(leaving_out: str | None = None) -> list[SelectChoice]:
    """The site's scenarios to choose from, all but the one left out, by the site's names."""
    return site_choices(
        ((k, s.name) for k, s in g.site_config.scenarios.items() if k != leaving_out),
        page_in_english(),
    )


def new_scenario_form(incident: Incident) -> ScenarioForm:
    """The form to switch to another scenario: every one the site has but the current."""
    form = ScenarioForm()
    form.scenario.choices = scenario_choices(leaving_out=incident.scenario)
    return form


def steps_of(scenario: Scenario | None) -> dict[str, str]:
    """The routine's "Gör så här" steps by key (made from their text)."""
    return keyed(STEP_PREFIX, scenario.steps) if scenario else {}


def checklist_of(scenario: Scenario | None) -> dict[str, str]:
    """What the scenario's routine lets staff tick, by key: steps, notifications, follow-up.

    The "Ring nu" contacts are not ticked: calling IT or the TiB is ticked as the notification
    it makes ("IT-support kontaktad"), and a second tick of the same call would disagree.
    """
    if scenario is None:
        return {}
    labels = steps_of(scenario)
    labels.update({n.key: n.label for n in scenario.notifications})
    labels.update({n.key: n.label for n in scenario.follow_up})
    return labels


def _of_routine(key: str) -> bool:
    # The log also holds the app's own entries and the reviewer page's ticks; its message to the
    # administrators is ticked under a notification that not every scenario lists.
    reviewer = g.site_config.routines.external_reviewer
    own = key in APP_STEP_KEYS or key == reviewer.admin_tick_key
    return not (own or key.startswith(REVIEWER_PREFIX))


def is_step(key: str) -> bool:
    return key.startswith(STEP_PREFIX)


def is_other_item(key: str) -> bool:
    return _of_routine(key) and not is_step(key)


def render_show(
    incident: Incident,
    note_form: NoteForm,
    scenario_form: ScenarioForm | None = None,
    scenario_taken: Incident | None = None,
) -> str:
    scenario = g.site_config.scenarios.get(incident.scenario)
    scenario_form = scenario_form or new_scenario_form(incident)
    for form in (note_form, scenario_form):
        if not form.form_key.data:
            form.form_key.data = new_form_key()
    now = local_now().replace(tzinfo=None)
    calls = contacts_now(g.site_config, scenario.calls, now) if scenario else []
    follow_up = follow_up_keys(scenario.follow_up) if scenario else frozenset()
    states = step_states(incident.id, since_scenario=True, follow_up=follow_up)
    shown = checklist_of(scenario)
    entries = log_entries(incident.id)
    moved = _moved_cases(entries)
    if moved:
        # A move's reason is typed text about the case (often naming its patient): the page
        # showing it is a read of those cases, as a list's is.
        log_list_read("incident_log_moves_view", codes=moved, incident_id=incident.id)
    late = late_drafts(g.user.site_id, incident.id) if incident.ended_at else []
    if late:
        log_list_read(
            "late_drafts_view",
            codes=[d.case_code or d.typed_code for d in late],
            patients=[d.typed_patient for d in late],
            incident_id=incident.id,
        )
    unnotified = unnotified_cases(incident.id)
    if unnotified:
        log_list_read(
            "notice_list_view", codes=[c.code for c in unnotified], incident_id=incident.id
        )
    on_modality_asked = incident.is_open and systems_restored_at(incident) is not None
    wards = g.site_config.contacts.get(g.site_config.wards_contact)
    return render_template(
        "incidents/show.html",
        unnotified=unnotified,
        incident=incident,
        scenario=scenario,
        calls=calls,
        steps=steps_of(scenario),
        states=states,
        # Each list's removed ticks under that list: a step done stays with the steps.
        removed_steps=removed_ticks(states, shown, is_step),
        removed=removed_ticks(states, shown, is_other_item),
        entries=entries,
        # The log's own entries (a note, a restore, a move…): no tick, so no tick's state.
        app_step_keys=APP_STEP_KEYS,
        # Read in the order written: the log shows the last first.
        uncounted=uncounted_ticks(reversed(entries), follow_up),
        note_form=note_form,
        # The other drafts of this incident's note, beside its form (drawn while it is open).
        offers=note_offers(incident, note_form) if incident.is_open else [],
        scenario_form=scenario_form,
        scenario_taken=scenario_taken,
        confirm_form=ConfirmForm(),
        restored_form=RestoredForm(formdata=None),
        # One key for the page's one-tap forms (its ticks, the restored mark).
        page_key=new_form_key(),
        # Not reconciled, as the batch counts them: a waiver awaiting its confirmation too.
        outstanding=outstanding_count(incident.id, pending_waivers=True),
        # Once PACS works again, before the modality deletes them; counted, not named: the
        # incident page shows no patient.
        images_on_modality=only_on_modality_count(incident.id) if on_modality_asked else 0,
        # Cancelled, their images cannot be recorded as sent: the department decides what becomes
        # of them, before the modality deletes them and before the close asks.
        cancelled_on_modality=only_on_modality_count(incident.id, cancelled=True)
        if on_modality_asked
        else 0,
        late=late,
        # Who tells the wards (the TiB), by the site's name for it; None: the page names no one.
        wards_contact=wards.name if wards else None,
    )
