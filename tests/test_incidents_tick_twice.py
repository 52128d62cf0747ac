"""A routine step ticked to the state it has already (a second tablet) logs nothing more."""

from __future__ import annotations

import html
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.checklist_keys import STEP_PREFIX, text_key
from webapp.extensions import db
from webapp.models import IncidentLogEntry
from webapp.web import local_time_dated

from .factories import audit_events, declare_incident
from .routines_support import make_case
from .row_held import sent_while_row_held

BOOK = "Boka patienten manuellt på modaliteten och skriv in tillfälligt ID."
KEY = STEP_PREFIX + text_key(BOOK)


def _tick(client: FlaskClient, incident_id: int, done: str = "1", form_key: str = ""):
    data = {"step_key": KEY, "is_done": done}
    if form_key:
        data["form_key"] = form_key.ljust(16, "k")
    return client.post(f"/incidents/{incident_id}/steps", data=data, follow_redirects=True)


def _states(app: Flask) -> list[bool]:
    with app.app_context():
        rows = db.session.scalars(
            select(IncidentLogEntry.is_done)
            .where(IncidentLogEntry.step_key == KEY)
            .order_by(IncidentLogEntry.id)
        )
        return list(rows)


def test_a_second_tablet_ticking_a_done_step_is_told_who_did_it_and_nothing_is_logged(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer", username="first")
    incident_id = declare_incident(client)
    _tick(client, incident_id, form_key="tablet-one")
    auth.login("radiographer", username="second")
    page = html.unescape(_tick(client, incident_id, form_key="tablet-two").get_data(as_text=True))
    assert _states(app) == [True]
    assert len(audit_events(app, "incident_step")) == 1
    assert f"”{BOOK}” är redan avbockat av " in page
    assert "inget har ändrats" in page
    assert "flash flash-info" in page


def test_an_untick_of_a_step_not_ticked_logs_nothing(app: Flask, client: FlaskClient, auth) -> None:
    auth.login()
    incident_id = declare_incident(client)
    page = html.unescape(_tick(client, incident_id, "0").get_data(as_text=True))
    assert _states(app) == []
    assert audit_events(app, "incident_step") == []
    assert "är inte avbockat: det finns inget att ångra" in page


def test_a_second_untick_is_told_who_unticked_and_nothing_is_logged(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    incident_id = declare_incident(client)
    _tick(client, incident_id, form_key="a")
    _tick(client, incident_id, "0", form_key="b")
    page = html.unescape(_tick(client, incident_id, "0", form_key="c").get_data(as_text=True))
    assert _states(app) == [True, False]
    assert f"”{BOOK}” är redan ångrat av " in page


def test_a_tick_untick_and_tick_again_under_new_keys_are_three_real_changes(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    incident_id = declare_incident(client)
    for done, key in (("1", "a"), ("0", "b"), ("1", "c"), ("0", "d")):
        _tick(client, incident_id, done, form_key=key)
    assert _states(app) == [True, False, True, False]
    assert len(audit_events(app, "incident_step")) == 4


def test_two_notes_alike_are_both_logged(app: Flask, client: FlaskClient, auth) -> None:
    auth.login()
    incident_id = declare_incident(client)
    for key in ("a", "b"):
        client.post(
            f"/incidents/{incident_id}/notes",
            data={"note": "IT: klart 14", "form_key": key.ljust(16, "k")},
        )
    with app.app_context():
        notes = db.session.scalars(
            select(IncidentLogEntry).where(IncidentLogEntry.step_key == "note")
        ).all()
        assert len(notes) == 2


def test_two_tablets_ticking_a_step_at_the_same_moment_log_it_once(
    app: Flask, tablet_factory
) -> None:
    anna, bo = tablet_factory("anna"), tablet_factory("bo")
    incident_id = declare_incident(anna)
    responses = sent_while_row_held(
        app,
        "incident",
        incident_id,
        [
            lambda: _tick(anna, incident_id, form_key="anna"),
            lambda: _tick(bo, incident_id, form_key="bo"),
        ],
    )
    assert [r.status_code for r in responses] == [200, 200]
    assert _states(app) == [True]
    assert len(audit_events(app, "incident_step")) == 1


def test_a_reviewer_step_ticked_twice_is_logged_once_and_told_as_done(
    app: Flask, client: FlaskClient, auth
) -> None:
    make_case(client, auth)
    auth.login("radiographer")
    key = "reviewer:" + text_key("Extern granskare kontaktad")
    for form_key in ("first-tablet-key", "other-tablet-key"):
        response = client.post(
            "/routines/reviewer/steps",
            data={"key": key, "is_done": "1", "form_key": form_key},
            follow_redirects=True,
        )
    page = html.unescape(response.get_data(as_text=True))
    assert "flash flash-info" in page and "är redan avbockat av " in page
    with app.app_context():
        entries = db.session.scalars(
            select(IncidentLogEntry).where(IncidentLogEntry.step_key == key)
        ).all()
        assert len(entries) == 1


def test_a_tick_of_another_day_is_named_with_its_date(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    incident_id = declare_incident(client)
    _tick(client, incident_id, form_key="yesterday")
    # An outage can last days: the first tick was the day before.
    with app.app_context():
        entry = db.session.scalars(
            select(IncidentLogEntry).where(IncidentLogEntry.step_key == KEY)
        ).one()
        entry.at = entry.at - timedelta(days=2)
        db.session.commit()
        shown = local_time_dated(entry.at)
        name = entry.user.display_name
    page = html.unescape(_tick(client, incident_id, form_key="today").get_data(as_text=True))
    assert shown[:4].isdigit() and shown[4] == "-"
    assert f"är redan avbockat av {name} {shown}:" in page
