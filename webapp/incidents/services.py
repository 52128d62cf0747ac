"""Writes for incidents: declare, change scenario, tick a step, add a note (ending: ending.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.errors import SubmitNotStored
from ..cases.submissions import NOT_SENT, SentOnce, SubmitResult, store_once
from ..incident_log_labels import NOTE, SCENARIO_CHANGED
from ..models import Incident, IncidentLogEntry, Site, User, utcnow
from ..site_usage import stored_config
from ..siteconfig import Scenario, SiteConfig
from ..storage import write_transaction
from .errors import IncidentError
from .restored import NOT_RESTORED, restored_since
from .start import check_after_previous, checked_start, declared_late_entry
from .tick_state import refuse_same_state

ALREADY_OPEN = (
    "Det här driftstoppet pågår redan. Arbeta i det i stället för att registrera det en gång till."
)


SCENARIO_OPEN = (
    "Det scenariot pågår redan som ett eget driftstopp. Arbeta i det, eller avsluta det först."
)


SCENARIO_CHANGED_SINCE = (
    "Scenariot har ändrats sedan sidan öppnades, så steget bockades inte av. Rutinen nedan är "
    "den som gäller nu: gör kontakterna enligt den och bocka av igen."
)


RESTORE_SCENARIO_CHANGED = (
    "Scenariot har ändrats sedan sidan öppnades, så markeringen gjordes inte. Läs rutinen nedan: "
    "fungerar systemen i den igen, markera det på nytt."
)


class ScenarioChangedSince(IncidentError):
    """A tick from a page that showed the routine of the scenario before a change."""


class IncidentAlreadyOpen(IncidentError):
    """The same real outage (scenario) is already open at the site."""

    def __init__(self, incident_id: int, message: str = ALREADY_OPEN) -> None:
        super().__init__(message)
        self.incident_id = incident_id


def _open_outage(session: Session, site_id: int, scenario: str) -> int | None:
    """The site's open real outage of this scenario, if any.

    The site's row is locked first, so two tablets declaring (or changing to) the same scenario
    at the same moment are checked one after the other (PostgreSQL; SQLite already runs one
    write at a time).
    """
    session.execute(select(Site.id).where(Site.id == site_id).with_for_update())
    return session.scalar(
        select(Incident.id).where(
            Incident.site_id == site_id,
            Incident.scenario == scenario,
            Incident.is_drill.is_(False),
            Incident.ended_at.is_(None),
        )
    )


SCENARIO_GONE = (
    "Scenariot finns inte längre i enhetens konfiguration (den ändrades just). Välj ett annat."
)


def _scenario_as_stored(session: Session, site_id: int, scenario: str) -> Scenario:
    """The scenario in the site's configuration as saved now, not as the form was drawn.

    Read after _open_outage's lock of the site's row (an upgrade of this share lock would
    deadlock two tablets declaring at once): a save that removed the scenario has committed,
    or waits for this incident and then finds it among the scenarios in use.
    """
    found = stored_config(session, site_id).scenarios.get(scenario)
    if found is None:
        raise IncidentError(SCENARIO_GONE)
    return found


def declare_incident(
    *,
    user: User,
    config: SiteConfig,
    scenario: str,
    is_drill: bool,
    notes: str = "",
    started_at: datetime | None = None,
) -> Incident:
    """Start an incident of a configured scenario.

    `started_at` (aware UTC, default now) records an incident declared after it began, e.g. a
    downtime noticed late or a drill whose referrals arrived before it was entered; the audit
    event and the incident log keep the real moment of declaration and name the given start.
    """
    started_at = _checked_start(config, scenario, started_at)
    with write_transaction() as session:
        return _declare(session, user, scenario, is_drill, notes, started_at)


def declare_incident_once(
    *,
    user: User,
    config: SiteConfig,
    scenario: str,
    is_drill: bool,
    notes: str,
    form_key: str,
    digest: str,
    url_for_incident: Callable[[int], str],
    started_at: datetime | None = None,
) -> Incident | SubmitResult:
    """Declare from the form: a form key already used opens nothing more (a double tap).

    Returns the stored result of that first submit instead, its `url` the incident's page;
    the same key with other content (another start too) is refused (SubmissionConflict).
    """
    started_at = _checked_start(config, scenario, started_at)

    try:
        return store_once(
            form_key=form_key,
            digest=digest,
            kind="incident_declare",
            user_id=user.id,
            write=lambda session: _declare(session, user, scenario, is_drill, notes, started_at),
            url_of=lambda incident: url_for_incident(incident.id),
        )
    except SubmitNotStored as exc:
        raise IncidentError(exc.message, **exc.values) from exc


def _checked_start(
    config: SiteConfig, scenario: str, started_at: datetime | None
) -> datetime | None:
    if scenario not in config.scenarios:
        raise IncidentError("Okänt scenario.")
    return checked_start(started_at)


def _declare(
    session: Session,
    user: User,
    scenario: str,
    is_drill: bool,
    notes: str,
    started_at: datetime | None,
) -> Incident:
    # One outage, one incident: a second tablet declaring it again would split its cases
    # between two boards and worklists. Another scenario may run beside it, and drills
    # (several training groups at once) hold no real patients.
    same = None if is_drill else _open_outage(session, user.site_id, scenario)
    if same is not None:
        raise IncidentAlreadyOpen(same)
    if started_at is not None and not is_drill:
        check_after_previous(session, user.site_id, scenario, started_at)
    title = _scenario_as_stored(session, user.site_id, scenario).name
    incident = Incident(
        site_id=user.site_id,
        scenario=scenario,
        title=title,
        is_drill=is_drill,
        notes=notes.strip(),
        declared_by_id=user.id,
        started_at=started_at or utcnow(),
    )
    session.add(incident)
    session.flush()
    if started_at is not None:
        session.add(declared_late_entry(incident, user, started_at))
    log_event(
        "incident_declare",
        user=user,
        incident_id=incident.id,
        # The scenario as the site names it (its name as saved now, the incident's title).
        detail=f"{title}{' (övning)' if is_drill else ''}"
        + (f", startade {started_at:%Y-%m-%d %H:%M} UTC" if started_at else ""),
    )
    return incident


def change_scenario(
    *,
    incident_id: int,
    user: User,
    config: SiteConfig,
    scenario: str,
    sent: SentOnce = NOT_SENT,
) -> Incident | SubmitResult:
    """Another system fails (or one comes back) mid-outage: the running outage changes scenario.

    Its cases stay together on one board and in one reconciliation, the routine shown is the new
    one, and its notifications (TiB, who tells the wards how to refer now) are to be made again.
    The same form sent again changes nothing more (its first result is returned).
    """
    if scenario not in config.scenarios:
        raise IncidentError("Okänt scenario.")

    def write(session: Session) -> Incident:
        incident = session.get(Incident, incident_id, with_for_update=True)
        if incident is None:
            raise IncidentError("Driftstoppet finns inte.")
        if not incident.is_open:
            raise IncidentError("Driftstoppet är avslutat.")
        if incident.scenario == scenario:
            raise IncidentError("Driftstoppet har redan det scenariot.")
        if not incident.is_drill:
            # The same rule as declaring: one open real incident per scenario.
            same = _open_outage(session, incident.site_id, scenario)
            if same is not None:
                raise IncidentAlreadyOpen(same, SCENARIO_OPEN)
        new_title = _scenario_as_stored(session, incident.site_id, scenario).name
        old_title = incident.title
        incident.scenario = scenario
        incident.title = new_title
        session.add(
            IncidentLogEntry(
                incident_id=incident_id,
                step_key=IncidentLogEntry.SCENARIO_CHANGE,
                label=(
                    SCENARIO_CHANGED % {"old_scenario": old_title, "new_scenario": incident.title}
                )[:300],
                is_done=True,
                user_id=user.id,
            )
        )
        log_event(
            "incident_scenario",
            user=user,
            incident_id=incident_id,
            detail=f"{old_title} → {incident.title}",
        )
        return incident

    return sent.store(user.id, "incident_scenario", write, IncidentError)


def set_step(
    *,
    incident_id: int,
    user: User,
    step_key: str,
    label: str,
    is_done: bool,
    note: str = "",
    sent: SentOnce = NOT_SENT,
    is_follow_up: bool = False,
    drawn_for: str | None = None,
    is_tick: bool = True,
) -> IncidentLogEntry | SubmitResult:
    """Tick or untick a checklist step; every change is a new log entry.

    `sent` (a form's key and content): the same form sent again logs nothing more and returns
    the first one's stored result; other content under the key is refused (SubmissionConflict).
    `is_follow_up`: an item of the follow-up, made only while the systems are marked working
    again (a page drawn before the mark was undone still shows it).
    `drawn_for`: the scenario whose routine the page showed. After a change of scenario the new
    routine's contacts are made anew (TiB tells the wards how to refer now): a tick from a page
    of the one before, of an item the two share, would count a call made with the old message.
    `is_tick`: the entry ticks a step (False: a note), so a tick asking for the state the step
    is in already (another tablet was first) is refused as AlreadyTicked and logs nothing.
    """

    def write(session: Session) -> IncidentLogEntry:
        # FOR UPDATE (PostgreSQL): an end of the incident at the same moment waits for this
        # entry and reads it, or is waited for and refuses it; and a tick of the same step from
        # another tablet waits, then reads this one (tick_state), instead of logging it twice.
        incident = session.get(Incident, incident_id, with_for_update=True)
        if incident is None:
            raise IncidentError("Driftstoppet finns inte.")
        if not incident.is_open:
            raise IncidentError("Driftstoppet är avslutat.")
        if drawn_for is not None and drawn_for != incident.scenario:
            raise ScenarioChangedSince(SCENARIO_CHANGED_SINCE)
        if is_follow_up and restored_since(incident_id) is None:
            raise IncidentError(NOT_RESTORED)
        if is_tick:
            resets = {IncidentLogEntry.SCENARIO_CHANGE}
            if is_follow_up:
                resets.add(IncidentLogEntry.SYSTEMS_RESTORED)
            refuse_same_state(
                session, incident_id, step_key[:60], label, is_done=is_done, resets=resets
            )
        entry = IncidentLogEntry(
            incident_id=incident_id,
            step_key=step_key[:60],
            label=label[:300],
            is_done=is_done,
            note=note.strip()[:2000],
            user_id=user.id,
        )
        session.add(entry)
        log_event(
            "incident_step",
            user=user,
            incident_id=incident_id,
            # The step's text alone: its key is a hash of the text or a configuration's key,
            # which says nothing to a reader.
            detail=f"{label or step_key}: {'klar' if is_done else 'ångrad'}",
        )
        return entry

    return sent.store(user.id, "incident_step", write, IncidentError)


def add_note(
    *, incident_id: int, user: User, note: str, sent: SentOnce = NOT_SENT
) -> IncidentLogEntry | SubmitResult:
    """A free-text note in the incident log (e.g. 'IT says ETA 14:00'), once per form key."""
    if not note.strip():
        raise IncidentError("Skriv en anteckning.")
    return set_step(
        incident_id=incident_id,
        user=user,
        step_key="note",
        label=NOTE,
        is_done=True,
        note=note,
        sent=sent,
        is_tick=False,
    )
