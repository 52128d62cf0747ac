"""A blank printed between outages goes into the binder and may be filled in during the next
one: that outage's close asks about it as about the blanks printed while it ran. So does every
later close while it is neither joined nor voided: one confirmed unused at an earlier close went
back into the binder, and may have been filled in since."""

from __future__ import annotations

import html
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from webapp.extensions import db
from webapp.models import Incident, ReservedCode

from .catchup_support import close_incident, incident_ended, reconcile_world, reserve_blank
from .catchup_world_support import world as world  # the fixture


def _printed_days_before_the_outage(
    app: Flask, client: FlaskClient, auth, incident_id: int, days: int
) -> str:
    """An admin reserves and prints one report blank, its print moved `days` before the start."""
    code = reserve_blank(app, client, auth, "BLU")
    auth.login("admin")
    assert client.get(f"/blanks/{code}/batch.pdf").status_code == 200
    auth.logout()
    with app.app_context():
        started = db.session.get(Incident, incident_id).started_at
        db.session.execute(
            update(ReservedCode)
            .where(ReservedCode.code == code)
            .values(last_printed_at=started - timedelta(days=days))
        )
        db.session.commit()
    return code


def _earlier_outage_ended(app: Flask, incident_id: int, days: int) -> None:
    """An outage of the same site, closed `days` before this one started."""
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        declared_by = incident.declared_by_id
        ended = incident.started_at - timedelta(days=days)
        db.session.add(
            Incident(
                site_id=incident.site_id,
                scenario="integration",
                title="Förra driftstoppet",
                started_at=ended - timedelta(hours=4),
                declared_by_id=declared_by,
                ended_at=ended,
                ended_by_id=declared_by,
            )
        )
        db.session.commit()


def _error(page: str) -> str:
    return html.unescape(page.split('id="confirm_blanks-error"', 1)[1].split("</p>", 1)[0])


def test_a_blank_printed_between_outages_holds_the_next_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    _earlier_outage_ended(app, world["incident_id"], days=10)
    code = _printed_days_before_the_outage(app, client, auth, world["incident_id"], days=3)
    page = close_incident(client, auth, world["incident_id"])
    assert not incident_ended(app, world["incident_id"])
    error = _error(page)
    assert "1 blankett skrevs ut före eller under driftstoppet" in error and code in error


def test_a_blank_printed_before_the_first_outage_holds_its_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _printed_days_before_the_outage(app, client, auth, world["incident_id"], days=3)
    page = close_incident(client, auth, world["incident_id"])
    assert not incident_ended(app, world["incident_id"])
    assert code in _error(page)


def test_ticked_a_blank_printed_between_outages_lets_the_close_end(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _printed_days_before_the_outage(app, client, auth, world["incident_id"], days=3)
    close_incident(client, auth, world["incident_id"], confirm_blanks="y", blank_codes=code)
    assert incident_ended(app, world["incident_id"])


def test_a_blank_printed_before_an_earlier_outage_ended_holds_the_close_too(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _printed_days_before_the_outage(app, client, auth, world["incident_id"], days=3)
    # Asked about at that close, and put back in the binder: it may have been filled in since.
    _earlier_outage_ended(app, world["incident_id"], days=1)
    page = close_incident(client, auth, world["incident_id"])
    assert not incident_ended(app, world["incident_id"])
    assert code in _error(page)


def _next_outage(app: Flask, after: int) -> int:
    """An outage of the same site started after incident `after` ended; its id."""
    with app.app_context():
        earlier = db.session.get(Incident, after)
        incident = Incident(
            site_id=earlier.site_id,
            scenario="integration",
            title="Nästa driftstopp",
            started_at=earlier.ended_at + timedelta(days=5),
            declared_by_id=earlier.declared_by_id,
        )
        db.session.add(incident)
        db.session.commit()
        return incident.id


def test_a_blank_confirmed_unused_at_one_close_is_asked_about_at_the_next(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _printed_days_before_the_outage(app, client, auth, world["incident_id"], days=3)
    close_incident(client, auth, world["incident_id"], confirm_blanks="y", blank_codes=code)
    assert incident_ended(app, world["incident_id"])
    # Back in the binder, then filled in on paper in the next outage and never scanned.
    second = _next_outage(app, world["incident_id"])
    page = close_incident(client, auth, second)
    assert not incident_ended(app, second)
    assert code in _error(page)


def test_the_batch_page_lists_a_blank_printed_between_outages(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    code = _printed_days_before_the_outage(app, client, auth, world["incident_id"], days=3)
    auth.login("admin")
    page = html.unescape(client.get(f"/catchup/incidents/{world['incident_id']}").get_data(True))
    section = page.split('id="loose-blanks"', 1)[1].split("</ul>", 1)[0]
    assert code in section
