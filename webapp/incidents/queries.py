"""Read helpers for incidents."""

from __future__ import annotations

from flask import abort, g, session
from sqlalchemy import bindparam, select

from ..extensions import db
from ..models import Incident, IncidentLogEntry

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


def get_incident_or_404(incident_id: int) -> Incident:
    """An incident of the user's own site, else 404 (another site's is not shown to exist)."""
    incident = db.session.get(Incident, incident_id)
    if incident is None or incident.site_id != g.user.site_id:
        abort(404)
    return incident


def incident_of_site(site_id: int, incident_id: int) -> bool:
    """Whether the incident exists at this site."""
    if not 0 < incident_id < 2**31:
        # No id is that large (a misread barcode can carry any digits), and the database
        # would refuse the number rather than find nothing.
        return False
    found = db.session.scalar(
        select(Incident.id).where(Incident.id == incident_id, Incident.site_id == site_id)
    )
    return found is not None


def current_incident() -> Incident | None:
    """The incident this tablet works in: the one chosen, else the newest open real one."""
    chosen = session.get("incident_id")
    if chosen:
        incident = db.session.get(Incident, chosen)
        if incident is not None and incident.site_id == g.user.site_id and incident.is_open:
            return incident
    return db.session.scalar(_NEWEST_OPEN, {"site_id": g.user.site_id})


def step_states(incident_id: int) -> dict[str, IncidentLogEntry]:
    """The latest log entry per checklist step."""
    entries = db.session.scalars(
        select(IncidentLogEntry)
        .where(IncidentLogEntry.incident_id == incident_id)
        .order_by(IncidentLogEntry.at, IncidentLogEntry.id)
    )
    return {e.step_key: e for e in entries}


def log_entries(incident_id: int) -> list[IncidentLogEntry]:
    """Every log entry of an incident, newest first."""
    return list(
        db.session.scalars(
            select(IncidentLogEntry)
            .where(IncidentLogEntry.incident_id == incident_id)
            .order_by(IncidentLogEntry.at.desc(), IncidentLogEntry.id.desc())
        )
    )
