"""Read helpers for incidents."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import abort, g, session
from sqlalchemy import bindparam, func, select

from ..checklist_keys import stored_key
from ..extensions import db
from ..models import MAX_ROW_ID, Case, Incident, IncidentLogEntry, Site
from .closing import awaiting_signature

# A tablet that has chosen no incident works in the newest real outage: a drill started beside
# one (a training tablet) must not take the real patients that arrive meanwhile.
_CURRENT_FIRST = (Incident.is_drill, Incident.started_at.desc(), Incident.id.desc())


def open_incidents(site_id: int) -> list[Incident]:
    """Open incidents of a site, real outages first, newest first."""
    return list(
        db.session.scalars(
            select(Incident)
            .where(Incident.site_id == site_id, Incident.ended_at.is_(None))
            .order_by(*_CURRENT_FIRST)
        )
    )


# Built once: every board, worklist and case list asks for it, and building the statement cost
# more than running it.
_NEWEST_OPEN = (
    select(Incident)
    .where(Incident.site_id == bindparam("site_id"), Incident.ended_at.is_(None))
    .order_by(*_CURRENT_FIRST)
    .limit(1)
)


# Built once, like the lookup above: every page of a drill asks for it (its banner, the board).
_REAL_OPEN = (
    select(Incident)
    .where(
        Incident.site_id == bindparam("site_id"),
        Incident.ended_at.is_(None),
        Incident.is_drill.is_(False),
    )
    .order_by(Incident.started_at.desc(), Incident.id.desc())
    .limit(1)
)


def real_incident_beside_drill() -> Incident | None:
    """The newest real outage open at the user's site, for the banner of a drill's pages.

    A tablet that chose a drill keeps working in it: a real outage declared meanwhile on
    another tablet must be plain on its screens, or real patients are registered as training.
    Asked once per request (the board and its banner both need it).
    """
    if "real_beside_drill" not in g:
        g.real_beside_drill = db.session.scalar(_REAL_OPEN, {"site_id": g.user.site_id})
    return g.real_beside_drill  # type: ignore[no-any-return]


@dataclass(frozen=True)
class OtherIncident:
    """A real outage open beside the one a page shows, with cases still on their way to RIS."""

    id: int
    title: str
    started_at: datetime
    outstanding: int


def other_open_incidents(shown: Incident) -> list[OtherIncident]:
    """Real outages of the site, besides the shown one, with cases on their board's active list.

    A second system failing mid-outage is declared as an outage of its own, and tablets then
    work in the newest: the first one's patients still waiting must not vanish from the board
    and the worklist, nor a case keyed into RIS whose referrer still waits for a call or a fax,
    for the external reviewer's answer, or whose report waits for a signature (each holds that
    outage's close).
    """
    # Here, not at the top: the board's views import this module.
    from ..board.clauses import still_active

    others = db.session.scalars(
        select(Incident.id).where(
            Incident.site_id == shown.site_id,
            Incident.id != shown.id,
            Incident.ended_at.is_(None),
            Incident.is_drill.is_(False),
        )
    ).all()
    if not others:
        return []
    # As the board's active list adds them: whether a report's text differs from the one signed
    # is not a question for SQL.
    to_sign = [case_id for other in others for case_id in awaiting_signature(other)]
    rows = db.session.execute(
        select(Incident.id, Incident.title, Incident.started_at, func.count(Case.id))
        .join(Case, Case.incident_id == Incident.id)
        .where(Incident.id.in_(others), still_active() | Case.id.in_(to_sign))
        .group_by(Incident.id, Incident.title, Incident.started_at)
        .order_by(Incident.started_at, Incident.id)
    )
    return [OtherIncident(r[0], r[1], r[2], int(r[3])) for r in rows]


def get_incident_or_404(incident_id: int) -> Incident:
    """An incident of the user's own site, else 404 (another site's is not shown to exist)."""
    incident = db.session.get(Incident, incident_id)
    if incident is None or incident.site_id != g.user.site_id:
        abort(404)
    return incident


def _may_exist(incident_id: int) -> bool:
    # A misread barcode can carry any digits.
    return 0 < incident_id <= MAX_ROW_ID


def incident_of_site(site_id: int, incident_id: int) -> Incident | None:
    """The incident, if it exists at this site."""
    if not _may_exist(incident_id):
        return None
    return db.session.scalar(
        select(Incident).where(Incident.id == incident_id, Incident.site_id == site_id)
    )


def incident_exists(incident_id: int) -> bool:
    """Whether an incident of any site has this id."""
    if not _may_exist(incident_id):
        return False
    return db.session.scalar(select(Incident.id).where(Incident.id == incident_id)) is not None


def site_name_of_incident(incident_id: int, list_stamp: str | None) -> str | None:
    """The name of the site whose incident has this id and this stamp on its lists.

    The id alone names no incident for sure: every laptop numbers its incidents from 1, and a
    list of another laptop's incident sent to the site that has that id here would go astray.
    """
    if list_stamp is None or not _may_exist(incident_id):
        return None
    return db.session.scalar(
        select(Site.name)
        .join(Incident, Incident.site_id == Site.id)
        .where(Incident.id == incident_id, Incident.list_stamp == list_stamp)
    )


def current_incident() -> Incident | None:
    """The incident this tablet works in: the one chosen, else the newest open real one."""
    chosen = session.get("incident_id")
    if chosen:
        incident = db.session.get(Incident, chosen)
        if incident is not None and incident.site_id == g.user.site_id and incident.is_open:
            return incident
    return db.session.scalar(_NEWEST_OPEN, {"site_id": g.user.site_id})


def step_states(
    incident_id: int, *, since_scenario: bool = False, follow_up: Collection[str] = ()
) -> dict[str, IncidentLogEntry]:
    """The latest log entry per checklist step, by the key the step has now.

    `since_scenario`: only entries after the last change of scenario count, so the new
    routine's notifications are made again (the wards must hear what to do now).
    `follow_up`: the keys of the scenario's follow-up, whose ticks count only since the systems
    were last marked working again: a follow-up made for a restore that was undone (tapped by
    mistake, or the systems failed again) is of a restore that did not stand, and the TiB and
    the administrators are told again when the systems work again.
    """
    entries = db.session.scalars(
        select(IncidentLogEntry)
        .where(IncidentLogEntry.incident_id == incident_id)
        # In the order written, so the last entry of a step wins: the laptop's clock may have
        # been set back between a tick and its undo.
        .order_by(IncidentLogEntry.id)
    )
    states: dict[str, IncidentLogEntry] = {}
    for entry in entries:
        if since_scenario and entry.step_key == IncidentLogEntry.SCENARIO_CHANGE:
            states.clear()
        elif entry.step_key == IncidentLogEntry.SYSTEMS_RESTORED:
            for key in follow_up:
                states.pop(key, None)
        states[stored_key(entry.step_key, entry.label)] = entry
    return states


def removed_ticks(
    states: dict[str, IncidentLogEntry], shown: Iterable[str], of_list: Callable[[str], bool]
) -> list[IncidentLogEntry]:
    """Items of a checklist ticked as done whose key is no longer in the routine shown.

    The admin may edit the routine while the outage runs: what was done stays visible, with the
    label it was ticked with, instead of vanishing or showing against another item.
    """
    current = set(shown)
    return [
        entry
        for key, entry in states.items()
        if entry.is_done and key not in current and of_list(key)
    ]


def log_entries(incident_id: int) -> list[IncidentLogEntry]:
    """Every log entry of an incident, the last written first (each with its time as stamped)."""
    return list(
        db.session.scalars(
            select(IncidentLogEntry)
            .where(IncidentLogEntry.incident_id == incident_id)
            # Read as what happened: a clock set back meanwhile must not put an undo before
            # the tick it undid.
            .order_by(IncidentLogEntry.id.desc())
        )
    )
