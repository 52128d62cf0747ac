"""External-reviewer views: the scenario page, its checklist, one case's exchange and its logs."""

from __future__ import annotations

from functools import partial

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..arrival_rule import read_after_arrival
from ..audit import codes_detail, log_read
from ..cases.submissions import SentOnce, item_form_key, payload_hash
from ..checklist_keys import REVIEWER_PREFIX, keyed
from ..extensions import db
from ..formutil import new_form_key, version_shown
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incident_log_labels import MESSAGE_SENT, MESSAGE_SENT_TO_ADMINS
from ..incidents.forms import ConfirmForm
from ..incidents.queries import current_incident, removed_ticks, step_states
from ..incidents.restored import follow_up_keys
from ..models import Case, Incident, IncidentLogEntry
from ..offered_routines import offers_reviewer
from ..row_ids import row_id
from ..web import local_now, local_time
from . import bp
from .forms import (
    FaxSentForm,
    ForwardedForm,
    ImageRouteForm,
    StepTickForm,
    VerbalAnswerForm,
)
from .not_offered import require_offered
from .queries import (
    admin_message,
    contacts_now,
    escalation_now,
    exchanges_beside,
    exchanges_for_incident,
    incident_of_site,
    route_statuses,
)
from .reviewer_answer_services import (
    IdentitySinceShown,
    NoReportEntered,
    NothingToForward,
    ReportedSinceShown,
    latest_signature,
    log_forwarded,
)
from .reviewer_case_page import SCOPE, offered_case_or_404, render_case, route_choices
from .reviewer_services import (
    log_fax_sent,
    log_image_route,
    log_verbal_answer,
    tick_reviewer_step,
)
from .reviewer_stale import changed_exchanges
from .services import AlreadyDone, RoutineError, SentForm
from .submit_once import log_once


@bp.route("/reviewer")
@roles(*CLINICAL)
def reviewer() -> ResponseReturnValue:
    """The scenario: who calls whom, the contacts now, the checklist, the message to admins."""
    config = g.site_config
    require_offered(offers_reviewer(g.user.site_id, config.routines), "reviewer")
    incident = _shown_incident(request.args.get("incident", ""))
    rc = config.routines.external_reviewer
    exchanges = exchanges_for_incident(incident.id) if incident else []
    beside = exchanges_beside(incident) if incident else []
    checklist = keyed(REVIEWER_PREFIX, rc.checklist)
    states = step_states(incident.id) if incident else {}
    if incident is not None and rc.admin_notification:
        _as_on_the_incident_page(states, incident, rc.admin_notification)
    message = None
    now = local_now().replace(tzinfo=None)
    if incident is not None:
        # The list of urgent cases sent to the reviewer: a read, named by the codes shown.
        log_read(
            "reviewer_list_view",
            incident_id=incident.id,
            detail=codes_detail(e.case.code for e in exchanges + beside),
        )
        message = admin_message(config, incident, exchanges, local_time)
    return render_template(
        "routines/reviewer.html",
        incident=incident,
        rc=rc,
        calls=contacts_now(config, rc.contacts, now),
        escalation=escalation_now(config, now),
        checklist=checklist,
        states=states,
        removed=removed_ticks(
            states,
            checklist,
            lambda key: key.startswith(REVIEWER_PREFIX) and key != rc.admin_tick_key,
        ),
        exchanges=exchanges,
        beside=beside,
        changed=changed_exchanges(exchanges + beside, config),
        message=message,
        admin_step=rc.admin_tick_key,
        admin_name=_admin_name(),
        statuses=route_statuses(g.user.site_id, SCOPE),
        confirm_form=ConfirmForm(),
        # One key for the page's ticks: a double tap on one is one tick.
        page_key=new_form_key(),
        dropped=not config.routines.has_reviewer,
    )


def _as_on_the_incident_page(
    states: dict[str, IncidentLogEntry], incident: Incident, key: str
) -> None:
    """The "message sent" tick linked to the routine's notification, counted as its page counts it.

    A change of scenario asks for the notification again (and the systems working again, for a
    follow-up item): shown as made here, the close and the incident page would still want it.
    """
    scenario = g.site_config.scenarios.get(incident.scenario)
    follow_up = follow_up_keys(scenario.follow_up) if scenario else frozenset()
    now = step_states(incident.id, since_scenario=True, follow_up=follow_up)
    states.pop(key, None)
    if key in now:
        states[key] = now[key]


def _admin_name() -> str:
    """Whom the routine has the message after the night go to: its admin contact, by name."""
    reviewer = g.site_config.routines.external_reviewer
    contact = g.site_config.contacts.get(reviewer.admin_contact)
    return contact.name if contact else _("RIS/PACS-administratörerna")


def _message_sent_label() -> str:
    """The log's Swedish label of the "message sent" tick, naming the admin contact."""
    reviewer = g.site_config.routines.external_reviewer
    contact = g.site_config.contacts.get(reviewer.admin_contact)
    return MESSAGE_SENT % {"name": contact.name} if contact else MESSAGE_SENT_TO_ADMINS


def _shown_incident(asked: str) -> Incident | None:
    """The open outage of the site a tick came back from, else the tablet's current one."""
    # A tick leads back to the checklist it was made on: another outage declared meanwhile is
    # the tablet's current one, and its list would read as if the tick went nowhere.
    asked_id = row_id(asked)
    if asked_id is not None:
        incident = incident_of_site(asked_id, g.user.site_id)
        if incident is not None and incident.is_open:
            return incident
    return current_incident()


@bp.route("/reviewer/steps", methods=["POST"])
@roles(*CLINICAL)
def reviewer_tick() -> ResponseReturnValue:
    """Tick a step of the reviewer checklist (logged in the incident log)."""
    require_offered(offers_reviewer(g.user.site_id, g.site_config.routines), "reviewer")
    form = StepTickForm()
    rc = g.site_config.routines.external_reviewer
    labels = keyed(REVIEWER_PREFIX, rc.checklist)
    # Stored in Swedish, as paper and exports print it; a page shows it in its own language.
    labels[rc.admin_tick_key] = _message_sent_label()
    valid = form.validate_on_submit()
    incident = (
        incident_of_site(int(form.incident_id.data), g.user.site_id)
        if valid and form.incident_id.data
        else current_incident()
    )
    if incident is None or not valid:
        flash(_("Steget kunde inte sparas."), "error")
        return redirect(url_for("routines.reviewer"))
    back = url_for("routines.reviewer", incident=incident.id) + "#checklist"
    if form.key.data not in labels:
        # Keys are made from the text: the item was reworded or removed since the page was drawn.
        flash(
            _(
                "Checklistan har ändrats sedan sidan öppnades, så punkten bockades inte av. "
                "Punkterna nedan är de som gäller nu: bocka av igen om det fortfarande stämmer."
            ),
            "error",
        )
        return redirect(back)
    try:
        tick_reviewer_step(
            incident_id=incident.id,
            user=g.user,
            key=form.key.data or "",
            label=labels[form.key.data or ""],
            is_done=form.is_done.data == "1",
            sent=SentOnce(
                item_form_key(form.form_key.data or "", form.key.data or ""),
                payload_hash(request.form),
                back,
            ),
        )
    except AlreadyDone as exc:
        flash(refusal_text(exc), "info")
    except RoutineError as exc:
        flash(refusal_text(exc), "error")
    return redirect(back)


@bp.route("/reviewer/cases/<int:case_id>")
@roles(*CLINICAL)
def reviewer_case(case_id: int) -> ResponseReturnValue:
    """One urgent case sent to the external reviewer: print, fax, images, answers."""
    return render_case(offered_case_or_404(case_id))


@bp.route("/reviewer/cases/<int:case_id>/fax", methods=["POST"])
@roles(*CLINICAL)
def reviewer_fax(case_id: int) -> ResponseReturnValue:
    """Log that the anonymised referral was faxed to the reviewer."""
    case = offered_case_or_404(case_id)
    form = FaxSentForm(prefix="fax")
    if form.validate_on_submit():
        read_after_arrival(case, form.sent_at)
        done = log_once(
            form,
            form.number,
            url_for("routines.reviewer_case", case_id=case.id),
            lambda sent: log_fax_sent(
                case_id=case.id,
                user=g.user,
                number=form.number.data or "",
                sent_at=form.sent_at.data,
                note=form.note.data or "",
                sent=sent,
            ),
            logged=_("Faxet till den externa granskaren är loggat."),
            already=_("Faxet var redan loggat – inget dubblerades."),
        )
        if done is not None:
            return done
    return render_case(case, 400, fax_form=form)


@bp.route("/reviewer/cases/<int:case_id>/route", methods=["POST"])
@roles(*CLINICAL)
def reviewer_route(case_id: int) -> ResponseReturnValue:
    """Log an image route tried towards the reviewer and how it went."""
    case = offered_case_or_404(case_id)
    form = ImageRouteForm(prefix="route")
    form.route_key.choices = route_choices(route_statuses(g.user.site_id, SCOPE))
    if form.validate_on_submit():
        route = g.site_config.routines.external_reviewer.route(form.route_key.data or "")
        done = log_once(
            form,
            form.outcome,
            url_for("routines.reviewer_case", case_id=case.id) + "#images",
            lambda sent: log_image_route(
                case_id=case.id,
                user=g.user,
                route_key=route.key if route else "",
                route_name=route.name if route else "",
                outcome=form.outcome.data or "",
                note=form.note.data or "",
                sent=sent,
            ),
            logged=_("Bildöverföringen är loggad."),
            already=_("Bildöverföringen var redan loggad – inget dubblerades."),
        )
        if done is not None:
            return done
    return render_case(case, 400, route_form=form)


@bp.route("/reviewer/cases/<int:case_id>/verbal", methods=["POST"])
@roles(*CLINICAL)
def reviewer_verbal(case_id: int) -> ResponseReturnValue:
    """Log that the reviewer phoned the referrer with a verbal answer."""
    case = offered_case_or_404(case_id)
    form = VerbalAnswerForm(prefix="verbal")
    if form.validate_on_submit():
        read_after_arrival(case, form.called_at)
        done = log_once(
            form,
            form.note,
            url_for("routines.reviewer_case", case_id=case.id),
            lambda sent: log_verbal_answer(
                case_id=case.id,
                user=g.user,
                reviewer_name=form.reviewer_name.data or "",
                called_person=form.called_person.data or "",
                at=form.called_at.data,
                note=form.note.data or "",
                sent=sent,
            ),
            logged=_("Det muntliga svaret är loggat."),
            already=_("Det muntliga svaret var redan loggat – inget dubblerades."),
            has_draft=True,
        )
        if done is not None:
            return done
    return render_case(case, 400, verbal_form=form)


@bp.route("/reviewer/cases/<int:case_id>/forwarded", methods=["POST"])
@roles(*CLINICAL)
def reviewer_forwarded(case_id: int) -> ResponseReturnValue:
    """Log that a copy of the faxed report was faxed on to the referrer."""
    case = offered_case_or_404(case_id)
    form = ForwardedForm(prefix="forward")
    if form.validate_on_submit():
        read_after_arrival(case, form.at)
        done = log_once(
            form,
            form.number,
            url_for("routines.reviewer_case", case_id=case.id) + "#answer",
            partial(_log_forwarded, case.id, form),
            logged=_("Kopian till remittenten är loggad."),
            already=_("Kopian var redan loggad – inget dubblerades."),
            beside=(NothingToForward, NoReportEntered, ReportedSinceShown, IdentitySinceShown),
        )
        if done is not None:
            return done
    return render_case(case, 400, forward_form=form)


def _log_forwarded(case_id: int, form: ForwardedForm, sent: SentForm) -> bool:
    try:
        return log_forwarded(
            case_id=case_id,
            user=g.user,
            number=form.number.data or "",
            at=form.at.data,
            shown_signature=version_shown(form.signature.data),
            shown_identity=version_shown(form.identity.data),
            sent=sent,
        )
    except (ReportedSinceShown, IdentitySinceShown):
        # The page drawn with the refusal shows the new report and the patient as now: sent
        # again, once a new copy is faxed, the copy covers them.
        form.signature.data = str(latest_signature(db.session(), case_id))
        case = db.session.get(Case, case_id)
        form.identity.data = str(case.identity_revision if case is not None else 0)
        raise
