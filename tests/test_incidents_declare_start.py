"""An outage declared after it began ("RIS låg nere från 08:10, vi märkte det 08:40") is given
its real start on the declare form: the incident, its page, its exports and the arrival rule
go by that start, while the audit event and the incident log keep the moment it was declared.

The start is typed relative to the real clock: data_day.py moves only a start the app took as
now onto the suite's data's day, and keeps one given on the form.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from werkzeug.test import TestResponse

from webapp.extensions import db
from webapp.followup.report import followup_report
from webapp.models import Incident, IncidentLogEntry, utcnow
from webapp.sites import site_config

from .conftest import AuthActions
from .factories import audit_events, hidden_value, local_minute
from .twin_race import KEY

ZONE = ZoneInfo("Europe/Stockholm")


def _utc(typed: str) -> datetime:
    """A typed wall time at the site, as the instant it stands for."""
    return datetime.fromisoformat(typed).replace(tzinfo=ZONE).astimezone(UTC)


def _incidents(app: Flask) -> list[Incident]:
    with app.app_context():
        rows = list(db.session.scalars(select(Incident).order_by(Incident.id)))
        db.session.expunge_all()
        return rows


def _beside(page: str, field_id: str) -> str:
    """The error text shown next to the field."""
    return html.unescape(page.split(f'id="{field_id}-error"', 1)[1].split("</p>", 1)[0])


def _refused(response: TestResponse, typed: str) -> str:
    """The form came back refused, with what was typed kept; the error beside the start."""
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'value="{typed}"' in page
    assert "Grupp A märkte det sent" in html.unescape(page)
    return _beside(page, "started_at")


def _declare(client: FlaskClient, started: str, **more: str) -> TestResponse:
    data = {"scenario": "integration", "started_at": started, "notes": "Grupp A märkte det sent"}
    return client.post("/incidents/new", data=data | more)


def test_the_declare_form_offers_a_start_to_pick_as_date_and_time(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    page = client.get("/incidents/new").get_data(as_text=True)
    assert 'name="started_at"' in page and 'type="datetime-local"' in page
    assert "Började" in page


def test_a_start_given_on_the_form_is_the_incidents_start(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    typed = local_minute(-timedelta(minutes=30))
    response = _declare(client, typed)
    assert response.status_code == 302
    (incident,) = _incidents(app)
    assert incident.started_at == _utc(typed)
    page = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert f"Start {typed.replace('T', ' ')}" in page


def test_an_empty_start_is_now(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    before = utcnow()
    with app.app_context():
        # On a laptop (not moved to the suite's data's day).
        app.extensions.pop("tests.data_day")
    assert _declare(client, "").status_code == 302
    (incident,) = _incidents(app)
    assert before - timedelta(seconds=1) <= incident.started_at <= utcnow()


def test_a_start_in_the_future_is_refused_beside_it_keeping_what_was_typed(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    typed = local_minute(timedelta(hours=1))
    assert "Tiden kan inte ligga i framtiden." in _refused(_declare(client, typed), typed)
    assert _incidents(app) == []


def test_a_start_a_minute_ahead_of_the_laptop_is_taken_as_now(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # The tablet's clock runs a little ahead of the laptop's.
    auth.login()
    assert _declare(client, local_minute(timedelta(minutes=2))).status_code == 302
    (incident,) = _incidents(app)
    assert incident.started_at <= utcnow()


def test_a_start_more_than_a_week_back_is_refused_beside_it(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    typed = local_minute(-timedelta(days=7, minutes=5))
    message = _refused(_declare(client, typed), typed)
    assert "Starten ligger mer än 7 dygn bakåt" in message
    assert _incidents(app) == []


def test_a_start_that_is_no_time_is_refused_beside_it(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    assert "Inte ett giltigt datum-/tidsvärde" in _refused(_declare(client, "igår 8"), "igår 8")
    assert _incidents(app) == []


def test_a_start_before_the_close_of_the_same_outage_before_it_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    assert _declare(client, "").status_code == 302
    closed = utcnow() - timedelta(hours=1)
    with app.app_context():
        db.session.execute(update(Incident).values(ended_at=closed))
        db.session.commit()
    typed = local_minute(-timedelta(hours=2))
    message = _refused(_declare(client, typed), typed)
    ended = closed.astimezone(ZONE).strftime("%Y-%m-%d %H:%M")
    assert f"före slutet av det förra driftstoppet med samma scenario ({ended})" in message
    assert len(_incidents(app)) == 1
    # After that close, it is taken.
    later = local_minute(-timedelta(minutes=30))
    assert _declare(client, later).status_code == 302


def test_a_drill_may_start_during_an_earlier_outage(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    assert _declare(client, "").status_code == 302
    with app.app_context():
        db.session.execute(update(Incident).values(ended_at=utcnow()))
        db.session.commit()
    typed = local_minute(-timedelta(hours=2))
    assert _declare(client, typed, is_drill="y").status_code == 302


def test_the_same_form_key_with_another_start_is_a_conflict(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    first = local_minute(-timedelta(minutes=30))
    assert _declare(client, first, form_key=KEY).status_code == 302
    other = local_minute(-timedelta(minutes=50))
    response = _declare(client, other, form_key=KEY)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "Formuläret har redan skickats med annat innehåll" in page
    assert f'value="{other}"' in page and hidden_value(page, "form_key") != KEY
    with app.app_context():
        assert db.session.scalar(select(func.count(Incident.id))) == 1


def test_the_audit_event_keeps_the_moment_of_declaration_and_names_the_start(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    typed = local_minute(-timedelta(minutes=30))
    before = utcnow()
    _declare(client, typed)
    (event,) = audit_events(app, "incident_declare")
    assert event.at >= before - timedelta(seconds=1)
    assert f"startade {_utc(typed):%Y-%m-%d %H:%M} UTC" in event.detail


def test_the_incident_log_says_when_it_was_declared_and_from_when(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    typed = local_minute(-timedelta(minutes=30))
    before = utcnow()
    _declare(client, typed)
    (incident,) = _incidents(app)
    with app.app_context():
        (entry,) = db.session.scalars(select(IncidentLogEntry)).all()
        assert entry.at >= before - timedelta(seconds=1)
        label = entry.label
    assert label == f"Registrerat i efterhand: driftstoppet började {typed.replace('T', ' ')}"
    page = html.unescape(client.get(f"/incidents/{incident.id}").get_data(as_text=True))
    assert label in page
    assert f"{label} – " not in page  # no tick of the routine


def test_an_outage_declared_as_it_starts_logs_nothing_more(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    _declare(client, "")
    with app.app_context():
        assert db.session.scalar(select(func.count(IncidentLogEntry.id))) == 0


def test_the_followup_tells_the_start_from_the_moment_of_declaration(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("admin")
    typed = local_minute(-timedelta(minutes=30))
    before = utcnow()
    _declare(client, typed)
    (incident,) = _incidents(app)
    with app.app_context():
        found = db.session.get(Incident, incident.id)
        assert found is not None
        t = followup_report(found, site_config(found.site), utcnow()).timeline
    assert t.started_at == _utc(typed)
    assert t.declared_at >= before - timedelta(seconds=1)
    assert [e.at for e in t.events] == [_utc(typed), t.declared_at]
    assert t.events[0].what == "Driftstoppet började"
    assert t.outage_minutes >= 30
    page = html.unescape(client.get(f"/incidents/{incident.id}/followup").get_data(as_text=True))
    assert f"Började</dt><dd>{typed.replace('T', ' ')}" in page
