"""A time shown to staff says which day it was when that is not today at the site: in an outage
lasting days "14:05" alone does not (review 2026-12-07, after the routine ticks)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.auth.lockout import address_key
from webapp.extensions import db
from webapp.models import (
    Draft,
    FailedLogin,
    IncidentLogEntry,
    RecordVersion,
    ReviewerExchange,
    User,
)
from webapp.sent_copy import SentCopy, site_time
from webapp.web import local_time_dated

from .factories import declare_incident, referral_data
from .reviewer_support import _fax_to_the_reviewer
from .test_cases_move import _moved
from .test_drafts_edits import _edit_draft

TWO_DAYS = timedelta(days=2)


def _local(app: Flask, at: datetime) -> datetime:
    return at.astimezone(ZoneInfo(app.config["TIMEZONE"]))


def _text(client: FlaskClient, url: str) -> str:
    return " ".join(html.unescape(client.get(url).get_data(as_text=True)).split())


def test_the_filter_keeps_seconds_when_asked(app: Flask) -> None:
    now = datetime.now(UTC)
    with app.app_context():
        today = local_time_dated(now, seconds=True)
        earlier = local_time_dated(now - TWO_DAYS, seconds=True)
    assert today == f"{_local(app, now):%H:%M:%S}"
    assert earlier == f"{_local(app, now - TWO_DAYS):%Y-%m-%d %H:%M:%S}"


def _restored_at(app: Flask, client: FlaskClient, auth: Any, at: datetime) -> int:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    client.post(f"/incidents/{incident_id}/restored", data={"restored": "1"})
    with app.app_context():
        db.session.execute(
            update(IncidentLogEntry)
            .where(IncidentLogEntry.step_key == IncidentLogEntry.SYSTEMS_RESTORED)
            .values(at=at)
        )
        db.session.commit()
    return incident_id


@pytest.mark.parametrize("page", ["incident", "/", "/cases/new"])
def test_systems_restored_two_days_ago_shows_its_date(
    app: Flask, client: FlaskClient, auth: Any, page: str
) -> None:
    at = datetime.now(UTC) - TWO_DAYS
    incident_id = _restored_at(app, client, auth, at)
    text = _text(client, f"/incidents/{incident_id}" if page == "incident" else page)
    assert f"Systemen fungerar igen sedan {_local(app, at):%Y-%m-%d %H:%M} –" in text


@pytest.mark.parametrize("page", ["incident", "/", "/cases/new"])
def test_systems_restored_today_shows_its_time_alone(
    app: Flask, client: FlaskClient, auth: Any, page: str
) -> None:
    at = datetime.now(UTC)
    incident_id = _restored_at(app, client, auth, at)
    text = _text(client, f"/incidents/{incident_id}" if page == "incident" else page)
    assert f"Systemen fungerar igen sedan {_local(app, at):%H:%M} –" in text


def test_a_move_two_days_ago_shows_its_date(app: Flask, client: FlaskClient, auth: Any) -> None:
    drill, _real, case_id = _moved(client, auth)
    at = datetime.now(UTC) - TWO_DAYS
    with app.app_context():
        db.session.execute(
            update(RecordVersion)
            .where(RecordVersion.entity == "case", RecordVersion.case_id == case_id)
            .values(changed_at=at)
        )
        db.session.commit()
    text = _text(client, f"/cases/{case_id}")
    assert f"Flyttad {_local(app, at):%Y-%m-%d %H:%M} från driftstopp {drill} (övning) av" in text


def test_a_tick_before_a_change_of_scenario_two_days_ago_shows_its_date(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    tib = {"step_key": "tib_informed", "is_done": "1"}
    client.post(f"/incidents/{incident_id}/steps", data=tib)
    client.post(f"/incidents/{incident_id}/scenario", data={"scenario": "om_ris"})
    client.post(f"/incidents/{incident_id}/steps", data=tib)
    at = datetime.now(UTC) - TWO_DAYS
    with app.app_context():
        db.session.execute(
            update(IncidentLogEntry)
            .where(IncidentLogEntry.step_key == IncidentLogEntry.SCENARIO_CHANGE)
            .values(at=at)
        )
        db.session.commit()
    text = _text(client, f"/incidents/{incident_id}")
    assert f"klart (före byte av scenario {_local(app, at):%Y-%m-%d %H:%M}, räknas inte)" in text


def test_account_and_device_locks_ending_another_day_show_their_date(
    app: Flask, client: FlaskClient, auth: Any, user_factory: Any
) -> None:
    user_factory(username="anna")
    for _ in range(5):
        client.post("/login", data={"username": "anna", "secret": "999999"})
    until = datetime.now(UTC) + TWO_DAYS
    with app.app_context():
        db.session.execute(
            update(FailedLogin)
            .where(FailedLogin.locked_until.is_not(None))
            .values(locked_until=until)
        )
        site_id = db.session.scalar(select(User.site_id).where(User.username == "anna"))
        db.session.add(FailedLogin(key=address_key("10.0.0.9"), locked_until=until))
        db.session.add(FailedLogin(key=f"s 10.0.0.9 {site_id}", locked_until=until))
        db.session.commit()
    auth.login("admin")
    page = html.unescape(client.get("/admin/users").get_data(as_text=True))
    shown = f"{_local(app, until):%Y-%m-%d %H:%M}"
    assert f"Spärrad till {shown} från 127.0.0.1" in page
    devices = page.split('id="address-locks-heading"', 1)[1]
    assert re.search(rf"10\.0\.0\.9</td>\s*<td[^>]*>{shown}</td>", devices), devices[:2000]


def test_an_offered_draft_of_two_days_ago_shows_its_date(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login()
    declare_incident(client)
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    _edit_draft(client, location, history="Waran.")
    at = datetime.now(UTC) - TWO_DAYS
    with app.app_context():
        db.session.execute(update(Draft).values(updated_at=at))
        db.session.commit()
    text = _text(client, location + "/referral")
    assert f"Osparad ändring från {_local(app, at):%Y-%m-%d %H:%M} av" in text


@pytest.mark.parametrize(("days", "shown"), [(2, "%Y-%m-%d %H:%M"), (0, "%H:%M")])
def test_a_referral_draft_in_the_list_shows_its_date_when_not_today(
    app: Flask, client: FlaskClient, auth: Any, days: int, shown: str
) -> None:
    auth.login()
    declare_incident(client)
    key = "referral-" + "d" * 20
    client.put(
        f"/api/drafts/{key}",
        json={"kind": "referral", "seq": 1, "label": "Utkast", "data": {"patient_name": "Ada"}},
    )
    at = datetime.now(UTC) - timedelta(days=days)
    with app.app_context():
        db.session.execute(update(Draft).values(updated_at=at))
        db.session.commit()
    page = client.get("/cases/new").get_data(as_text=True)
    listed = page.split("Osparade remisser", 1)[1].split("</ul>", 1)[0]
    assert f'<span class="hint">{_local(app, at):{shown}}</span>' in listed, listed


def test_the_reviewer_list_dates_a_fax_and_an_answer_of_another_day(
    app: Flask, client: FlaskClient, auth: Any, case_id: int
) -> None:
    assert (
        _fax_to_the_reviewer(client, auth, case_id, sent_at="2026-01-15T11:10").status_code == 302
    )
    answered = datetime.now(UTC) - TWO_DAYS
    with app.app_context():
        db.session.execute(update(ReviewerExchange).values(report_received_at=answered))
        db.session.commit()
    page = html.unescape(client.get("/routines/reviewer").get_data(as_text=True))
    assert re.search(r'data-label="Faxat">2026-01-15 11:10</td>', page), page
    assert f'data-label="Svar">{_local(app, answered):%Y-%m-%d %H:%M}' in page


def test_a_refusal_names_the_date_of_a_copy_saved_another_day() -> None:
    copy = SentCopy("tablet", 1, 1, False, "Europe/Stockholm")
    now = datetime.now(UTC)
    zone = ZoneInfo("Europe/Stockholm")
    assert site_time(copy, now) == f"{now.astimezone(zone):%H:%M}"
    earlier = now - TWO_DAYS
    assert site_time(copy, earlier) == f"{earlier.astimezone(zone):%Y-%m-%d %H:%M}"
