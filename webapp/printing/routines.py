"""The site's outage routines printed for the downtime binder, and whether the binder's copy is
still the configuration's: built from the saved configuration, logged once drawn."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from printforms import data_office as po

from ..audit import log_event
from ..config_history import SITE_CONFIG_ENTITY
from ..extensions import db
from ..models import PrintRecord, RecordVersion, Site, User, utcnow
from ..siteconfig import SiteConfig
from ..sites import site_config
from ..storage import write_transaction
from .services import PrintFailed
from .sheet_parts import fmt_time

# A print of every routine: the binder is up to date with the configuration it was printed from.
BINDER_DOC = "routines"
# One scenario's routine printed on its own: logged, but the rest of the binder may be older.
ONE_DOC = "routine"


@dataclass(frozen=True)
class ConfigVersion:
    """The site configuration as saved now: its version number and when it was saved."""

    number: int
    saved_at: datetime


@dataclass(frozen=True)
class RoutinePrint:
    """The binder's last print of every routine."""

    at: datetime
    by: str
    version: int
    # What the routines said (routines_digest): a change elsewhere in the file leaves them be.
    digest: int | None


def _latest_version(site_id: int) -> int:
    latest = db.session.scalar(
        select(func.max(RecordVersion.version)).where(
            RecordVersion.entity == SITE_CONFIG_ENTITY, RecordVersion.entity_id == site_id
        )
    )
    # Each saved edit keeps the text it replaced as a version; the text in use is the next one.
    return (latest or 0) + 1


def current_config(site_id: int) -> tuple[SiteConfig, ConfigVersion]:
    """The configuration as saved now, with its version (read again if a save came between)."""
    while True:
        number = _latest_version(site_id)
        site = db.session.get(Site, site_id, populate_existing=True)
        if site is None:
            raise LookupError(f"site {site_id} is gone")
        if _latest_version(site_id) == number:
            return site_config(site), ConfigVersion(number, site.updated_at)


def last_binder_print(site_id: int) -> RoutinePrint | None:
    """Who printed every routine of the site last, when, and from which configuration."""
    row = db.session.execute(
        select(PrintRecord.at, User.display_name, PrintRecord.version, PrintRecord.content_version)
        .join(User, User.id == PrintRecord.user_id)
        .where(PrintRecord.doc == BINDER_DOC, User.site_id == site_id)
        .order_by(PrintRecord.at.desc(), PrintRecord.id.desc())
        .limit(1)
    ).first()
    return RoutinePrint(*row) if row else None


def routines_digest(config: SiteConfig) -> int:
    """A number for what the printed routines of every scenario say, from the configuration."""
    data = binder_data(
        config,
        ConfigVersion(0, utcnow()),
        keys=list(config.scenarios),
        printed_at=utcnow(),
        printed_by="",
        address="",
    )
    said = repr((data.site, data.holiday_note, data.scenarios)).encode("utf-8")
    # 31 bits: the print record's column is a 32-bit integer on PostgreSQL.
    return int.from_bytes(hashlib.sha256(said).digest()[:4], "big") >> 1


def routines_changed(config: SiteConfig, last: RoutinePrint | None) -> bool:
    """Whether the binder's routines no longer say what the configuration does."""
    return last is not None and last.digest != routines_digest(config)


def _contact(config: SiteConfig, key: str, seen: frozenset[str] = frozenset()) -> po.RoutineContact:
    """The contact with its hours; outside them the fallback, as contact_now follows them."""
    contact = config.contacts[key]
    fallback = None
    # Only hours make a fallback answer (contact_now), and a loop of fallbacks ends where the
    # screen's lookup does: at a contact already passed.
    if contact.hours and contact.fallback and contact.fallback not in seen | {key}:
        fallback = _contact(config, contact.fallback, seen | {key})
    return po.RoutineContact(
        name=contact.name,
        phones=contact.phones,
        menu=contact.menu,
        fax=contact.fax,
        email=contact.email,
        hours=contact.hours_text,
        fallback=fallback,
        after_hours=contact.after_hours,
    )


def _escalation(config: SiteConfig, calls: tuple[str, ...]) -> po.RoutineContact | None:
    """Whom the external reviewer calls in when the fault persists, on the sheet of the
    scenario that calls the reviewer (its fax contact), as the reviewer page tells it."""
    reviewer = config.routines.external_reviewer
    if not (config.routines.has_reviewer and reviewer.escalation_contact):
        return None
    if reviewer.fax_contact not in calls or reviewer.escalation_contact not in config.contacts:
        return None
    return _contact(config, reviewer.escalation_contact)


def holiday_note(config: SiteConfig) -> str:
    """Which days the contacts' hours read as a Sunday, as the site's calendar has them."""
    calendar = config.holidays
    days = sorted(f"{m:02d}-{d:02d}" for m, d in calendar.every_year)
    days += sorted(day.isoformat() for day in calendar.dated)
    parts = []
    if calendar.public:
        parts.append("röda dagar samt jul-, midsommar- och nyårsafton")
    if days:
        parts.append(f"enhetens egna helgdagar ({', '.join(days)})")
    if not parts:
        return ""
    return f"I öppettiderna räknas {' och '.join(parts)} som söndag."


def binder_data(
    config: SiteConfig,
    version: ConfigVersion,
    *,
    keys: list[str],
    printed_at: datetime,
    printed_by: str,
    address: str,
) -> po.RoutineBinderData:
    """The routines of the scenarios keys (in the configuration's order) as plain sheet data."""
    order = list(config.scenarios)
    scenarios = tuple(
        po.RoutineScenarioData(
            name=scenario.name,
            position=f"Rutin {order.index(key) + 1} av {len(order)}",
            still_works=scenario.still_works,
            contacts=tuple(_contact(config, k) for k in scenario.calls),
            steps=scenario.steps,
            notifications=tuple(n.label for n in scenario.notifications),
            follow_up=tuple(n.label for n in scenario.follow_up),
            escalation=_escalation(config, scenario.calls),
        )
        for key in keys
        for scenario in (config.scenarios[key],)
    )
    return po.RoutineBinderData(
        site=config.name,
        printed_at=fmt_time(printed_at),
        printed_by=printed_by,
        config_version=f"version {version.number}, sparad {fmt_time(version.saved_at)}",
        address=address,
        scenarios=scenarios,
        holiday_note=holiday_note(config),
    )


def routines_pdf(user: User, address: str, scenario: str | None = None) -> bytes:
    """Every routine of the user's site (or one scenario's) as a PDF, logged as a print once
    drawn. Raises KeyError for a scenario the site does not have, PrintFailed when the sheets
    cannot be drawn (then nothing is logged)."""
    from printforms import render_routines

    config, version = current_config(user.site_id)
    keys = list(config.scenarios) if scenario is None else [scenario]
    if scenario is not None and scenario not in config.scenarios:
        raise KeyError(scenario)
    at = utcnow()
    data = binder_data(
        config, version, keys=keys, printed_at=at, printed_by=user.display_name, address=address
    )
    try:
        pdf = render_routines(data)
    except Exception as exc:  # any failure of the data or the layout: no paper, no record
        raise PrintFailed(str(exc)) from exc
    if scenario is None:
        detail = f"Rutiner vid driftstopp, alla {len(keys)}"
    else:
        detail = f"Rutin vid driftstopp: {data.scenarios[0].name}"
    detail += f", konfiguration version {version.number}"
    with write_transaction() as session:
        session.add(
            PrintRecord(
                doc=BINDER_DOC if scenario is None else ONE_DOC,
                version=version.number,
                content_version=routines_digest(config),
                user_id=user.id,
                at=at,
            )
        )
        log_event("print", user=user, detail=detail)
    return pdf
