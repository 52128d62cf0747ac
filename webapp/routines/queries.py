"""Read helpers for the routines: exchanges, the admin queue, transfers, releases, messages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from urllib.parse import quote

from flask import abort, g
from sqlalchemy import ColumnElement, func, select

from ..cases.queries import case_by_code
from ..checklist_keys import text_key
from ..codes import CodeError, parse_case_code
from ..extensions import db
from ..i18n import gettext
from ..list_pages import ListPage, bounded_page
from ..models import (
    Case,
    ImageRelease,
    ImageTransfer,
    Incident,
    ReviewerExchange,
    RouteStatus,
    TransferCheck,
)
from ..siteconfig import Contact, SiteConfig
from .rules import ReleaseContext


def case_for_code(site_id: int, text: str) -> Case | None:
    """The case a typed code names, or None for a blank, malformed or unknown code."""
    try:
        return case_by_code(site_id, parse_case_code(text.strip())) if text.strip() else None
    except CodeError:
        return None


def exchange_for_case(case_id: int) -> ReviewerExchange | None:
    """The external-reviewer exchange of a case, if any."""
    return db.session.scalar(select(ReviewerExchange).where(ReviewerExchange.case_id == case_id))


def exchanges_for_incident(incident_id: int) -> list[ReviewerExchange]:
    """Every exchange of an incident, oldest first."""
    return list(
        db.session.scalars(
            select(ReviewerExchange)
            .where(ReviewerExchange.incident_id == incident_id)
            .order_by(ReviewerExchange.created_at, ReviewerExchange.id)
        )
    )


def exchanges_beside(incident: Incident) -> list[ReviewerExchange]:
    """Exchanges of the site's other open outages (drills beside drills), oldest first.

    A second system failing mid-outage is declared as an outage of its own and tablets then
    work in the newest: the first one's cases sent to the reviewer must stay in sight.
    """
    return list(
        db.session.scalars(
            select(ReviewerExchange)
            .join(Incident, Incident.id == ReviewerExchange.incident_id)
            .where(
                Incident.site_id == incident.site_id,
                Incident.id != incident.id,
                Incident.ended_at.is_(None),
                Incident.is_drill.is_(incident.is_drill),
            )
            .order_by(ReviewerExchange.created_at, ReviewerExchange.id)
        )
    )


def incident_of_site(incident_id: int, site_id: int) -> Incident | None:
    """The site's incident by id, or None (another site's, or none)."""
    incident = db.session.get(Incident, incident_id)
    return incident if incident is not None and incident.site_id == site_id else None


def get_exchange_or_404(exchange_id: int) -> ReviewerExchange:
    """An exchange of the user's own site, else 404."""
    exchange = db.session.get(ReviewerExchange, exchange_id)
    if exchange is None or exchange.site_id != g.user.site_id:
        abort(404)
    return exchange


def admin_queue(site_id: int) -> tuple[list[ReviewerExchange], list[ReviewerExchange]]:
    """Faxed reviewer reports waiting for the RIS administrator, and the latest handled ones."""
    base = select(ReviewerExchange).where(
        ReviewerExchange.site_id == site_id, ReviewerExchange.queued_for_admin_at.is_not(None)
    )
    waiting = db.session.scalars(
        base.where(ReviewerExchange.admin_done_at.is_(None)).order_by(
            ReviewerExchange.queued_for_admin_at, ReviewerExchange.id
        )
    )
    done = db.session.scalars(
        base.where(ReviewerExchange.admin_done_at.is_not(None))
        .order_by(ReviewerExchange.admin_done_at.desc(), ReviewerExchange.id.desc())
        .limit(20)
    )
    return list(waiting), list(done)


def route_statuses(site_id: int, scope: str) -> dict[str, RouteStatus]:
    """The admin's working/not-working note per route key."""
    rows = db.session.scalars(
        select(RouteStatus).where(RouteStatus.site_id == site_id, RouteStatus.scope == scope)
    )
    return {r.route_key: r for r in rows}


# Rows per page of the transfer and billing lists: each row names a patient, so a page is kept
# short enough to read, and a longer list goes on in further pages, never cut.
TRANSFER_PAGE = 200
BILLING_PAGE = 500


def _transfer_filter(site_id: int, open_only: bool) -> list[ColumnElement[bool]]:
    where = [ImageTransfer.site_id == site_id]
    if open_only:
        where.append(ImageTransfer.status == "open")
    return where


def transfer_count(site_id: int, *, open_only: bool) -> int:
    """How many transfers the list holds in all (the overview counts the open ones)."""
    where = _transfer_filter(site_id, open_only)
    return int(db.session.scalar(select(func.count(ImageTransfer.id)).where(*where)) or 0)


def transfers(site_id: int, *, open_only: bool, page: int = 1) -> ListPage[ImageTransfer]:
    """A page of the site's image transfers, open first and newest first.

    Paged, never cut: a list that silently ends at its limit lets staff believe a transfer
    still open beyond it is not there.
    """
    total = transfer_count(site_id, open_only=open_only)
    page = bounded_page(page, total, TRANSFER_PAGE)
    query = (
        select(ImageTransfer)
        .where(*_transfer_filter(site_id, open_only))
        .order_by(
            ImageTransfer.status != "open",
            ImageTransfer.created_at.desc(),
            ImageTransfer.id.desc(),
        )
        .limit(TRANSFER_PAGE)
        .offset((page - 1) * TRANSFER_PAGE)
    )
    return ListPage(list(db.session.scalars(query)), total, page, TRANSFER_PAGE)


def transfer_incident(transfer: ImageTransfer) -> Incident | None:
    """The outage or drill the transfer is filed under (its case's, or the one it was opened in)."""
    if transfer.case is not None:
        return transfer.case.incident
    return db.session.get(Incident, transfer.incident_id) if transfer.incident_id else None


def drill_incident_ids(transfers: Iterable[ImageTransfer]) -> set[int]:
    """Which of the transfers' incidents are drills: a list marks their transfers."""
    ids = {t.incident_id for t in transfers if t.incident_id is not None}
    if not ids:
        return set()
    return set(
        db.session.scalars(select(Incident.id).where(Incident.id.in_(ids), Incident.is_drill))
    )


def urgency_labels(config: SiteConfig, codes: Iterable[str]) -> dict[str, str]:
    """What to show for each transfer urgency: its priority's label, also once the site's
    configuration has dropped the priority (the label it last had), else the code named as an
    unknown priority; a bare code says nothing to staff."""
    known = {p.code for p in config.priorities} | config.earlier_priority_labels.keys()
    return {
        code: config.priority_label(code)
        if code in known
        else gettext("okänd prioritet (%(code)s)", code=code)
        for code in codes
    }


def get_transfer_or_404(transfer_id: int) -> ImageTransfer:
    transfer = db.session.get(ImageTransfer, transfer_id)
    if transfer is None or transfer.site_id != g.user.site_id:
        abort(404)
    return transfer


def check_states(transfer_id: int) -> dict[tuple[str, str], TransferCheck]:
    """The latest tick per troubleshooting item, by list and the item's key.

    The key is the label's (a tick keeps the text it was made for), so a tick stays with its
    item when the admin inserts or removes one above it, as ticks stored by place did not.
    """
    rows = db.session.scalars(
        select(TransferCheck)
        .where(TransferCheck.transfer_id == transfer_id)
        # In the order written, so an item's last tick wins: the laptop's clock may have been
        # set back between a tick and its undo.
        .order_by(TransferCheck.id)
    )
    return {(r.list_key, text_key(r.label)): r for r in rows}


def removed_checks(
    states: dict[tuple[str, str], TransferCheck], shown: Iterable[tuple[str, str]]
) -> list[TransferCheck]:
    """Items ticked as done that the troubleshooting lists no longer hold (edited meanwhile)."""
    current = set(shown)
    return [check for key, check in states.items() if check.is_done and key not in current]


def check_log(transfer_id: int) -> list[TransferCheck]:
    """Every tick of a transfer's troubleshooting lists, the last written first."""
    return list(
        db.session.scalars(
            select(TransferCheck)
            .where(TransferCheck.transfer_id == transfer_id)
            # Read as what was done: a clock set back meanwhile must not put an undo first.
            .order_by(TransferCheck.id.desc())
        )
    )


def releases_for_case(case_id: int) -> list[ImageRelease]:
    return list(
        db.session.scalars(
            select(ImageRelease)
            .where(ImageRelease.case_id == case_id)
            .order_by(ImageRelease.created_at.desc(), ImageRelease.id.desc())
        )
    )


def get_release_or_404(release_id: int) -> ImageRelease:
    release = db.session.get(ImageRelease, release_id)
    if release is None or release.site_id != g.user.site_id:
        abort(404)
    return release


def billing_releases(site_id: int, page: int = 1) -> ListPage[ImageRelease]:
    """A page of the releases for private use, which the billing unit charges for; newest
    first. Paged, never cut: a release beyond a silent end would go unbilled."""
    where = (ImageRelease.site_id == site_id, ImageRelease.is_billable.is_(True))
    total = int(
        db.session.scalar(
            select(func.count(ImageRelease.id))
            .join(Case, Case.id == ImageRelease.case_id)
            .where(*where)
        )
        or 0
    )
    page = bounded_page(page, total, BILLING_PAGE)
    rows = db.session.scalars(
        select(ImageRelease)
        .join(Case, Case.id == ImageRelease.case_id)
        .where(*where)
        .order_by(ImageRelease.created_at.desc(), ImageRelease.id.desc())
        .limit(BILLING_PAGE)
        .offset((page - 1) * BILLING_PAGE)
    )
    return ListPage(list(rows), total, page, BILLING_PAGE)


def release_context(config: SiteConfig) -> ReleaseContext:
    """The site's names that the release rules mention."""
    r = config.routines.release
    return ReleaseContext(
        region=config.region or "regionen",
        archive_name=r.archive_name,
        archive_push_route=r.archive_push_route,
        iep_name=r.iep_name,
        own_region_hospitals=r.own_region_hospitals,
        billing_unit=r.billing_unit,
        media=r.media,
        ris_up_scenarios=tuple(key for key, s in config.scenarios.items() if s.ris_works),
    )


class CallNow(NamedTuple):
    """One entry of a "Ring nu" list."""

    closed_ones: tuple[Contact, ...]  # the listed contacts closed now that it answers for
    contact: Contact  # the one that answers, or the last one in the chain
    # Outside its hours with no one after it (after_hours): shown closed, not as a call.
    is_closed: bool


def contacts_now(config: SiteConfig, keys: Sequence[str], now: datetime) -> list[CallNow]:
    """Who answers for each listed contact now, in the list's order.

    Each contact that answers is listed once: two that hand over to the same one after hours
    would send staff to call one number twice, unsure whom they reach.
    """
    closed: dict[str, list[Contact]] = {}
    order: list[Contact] = []
    for key in keys:
        if key not in config.contacts:
            continue
        answers = config.contact_now(key, now)
        if answers.key not in closed:
            closed[answers.key] = []
            order.append(answers)
        if answers.key != key:
            closed[answers.key].append(config.contacts[key])
    return [CallNow(tuple(closed[c.key]), c, not c.is_open(now, config.holidays)) for c in order]


def escalation_now(config: SiteConfig, now: datetime) -> CallNow | None:
    """Whom the external reviewer calls in when the fault persists, as it answers now: the
    routine sheet prints the same contact with all its hours (printing.routines)."""
    key = config.routines.external_reviewer.escalation_contact
    if not (config.routines.has_reviewer and key):
        return None
    return next(iter(contacts_now(config, [key], now)), None)


@dataclass(frozen=True)
class ReviewerFax:
    """Where the anonymised referral is faxed now: the number offered, and when the reviewer
    is closed, the reviewer (closed) and the contact that answers instead."""

    number: str
    closed: Contact | None = None
    instead: Contact | None = None


def reviewer_fax_now(config: SiteConfig, now: datetime) -> ReviewerFax:
    """The reviewer's fax while open; while closed, the fallback's fax if it has one, else none:
    a referral faxed to a closed reviewer lies unread until the next night."""
    key = config.routines.external_reviewer.fax_contact
    reviewer = config.contacts.get(key)
    if reviewer is None:
        return ReviewerFax("")
    if reviewer.is_open(now, config.holidays):
        return ReviewerFax(reviewer.fax)
    instead = config.contact_now(key, now)
    if instead.key == reviewer.key:
        return ReviewerFax("", reviewer)
    return ReviewerFax(instead.fax, reviewer, instead)


@dataclass(frozen=True)
class AdminMessage:
    to: str
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        return f"mailto:{quote(self.to)}?subject={quote(self.subject)}&body={quote(self.body)}"


# The fields an admin may write in the message; any other brace is text (never str.format,
# which fails on a stray "{" and reads attributes such as "{site.__class__}").
_MESSAGE_FIELD = re.compile(r"\{(site|date|count|codes)\}")


def _fill(template: str, values: dict[str, str]) -> str:
    return _MESSAGE_FIELD.sub(lambda m: values[m.group(1)], template)


def _outage_line(incident: Incident, time_text: Callable[[datetime | None, str], str]) -> str:
    # The routine asks that the admins learn of the problem and whether it persists.
    since = time_text(incident.started_at, "%Y-%m-%d %H:%M")
    if incident.ended_at is None:
        return f"Driftstörning: {incident.title}, sedan {since}, pågår fortfarande."
    ended = time_text(incident.ended_at, "%Y-%m-%d %H:%M")
    return f"Driftstörning: {incident.title}, {since}–{ended}, nu avslutad."


def admin_message(
    config: SiteConfig,
    incident: Incident,
    exchanges: list[ReviewerExchange],
    time_text: Callable[[datetime | None, str], str],
) -> AdminMessage:
    """The prefilled message to the RIS/PACS administrators (no patient identity, codes only);
    time_text formats a UTC time for the site (web.local_time)."""
    reviewer = config.routines.external_reviewer
    contact = config.contacts.get(reviewer.admin_contact)
    codes = ", ".join(e.case.code for e in exchanges) or "–"
    date_text = time_text(incident.started_at, "%Y-%m-%d")
    values = {"site": config.name, "date": date_text, "count": str(len(exchanges)), "codes": codes}
    body = reviewer.admin_body or (
        "Den {date} fungerade inte kommunikationen med den externa granskaren ({site}). "
        "Ärenden: {codes}."
    )
    return AdminMessage(
        to=contact.email if contact else "",
        subject=_fill(reviewer.admin_subject, values),
        body=_fill(body, values).strip() + "\n\n" + _outage_line(incident, time_text),
    )
