"""A routine tick says which day it was made: in an outage lasting days "14:05" alone does not
(review 2026-12-07)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.checklist_keys import STEP_PREFIX, text_key
from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import IncidentLogEntry

from .factories import declare_incident

BOOK = "Boka patienten manuellt på modaliteten och skriv in tillfälligt ID."
KEY = STEP_PREFIX + text_key(BOOK)


def _ticked_at(app: Flask, client: FlaskClient, incident_id: int, at: datetime) -> str:
    """The tick's state text on the incident page, the tick moved to `at` (UTC)."""
    client.post(f"/incidents/{incident_id}/steps", data={"step_key": KEY, "is_done": "1"})
    with app.app_context():
        entry = db.session.scalars(select(IncidentLogEntry)).one()
        entry.at = at
        db.session.commit()
    page = html.unescape(client.get(f"/incidents/{incident_id}").get_data(as_text=True))
    button = page.split(f'data-step="{KEY}"', 1)[1].split("</button>", 1)[0]
    found = re.search(r'<span class="tick-state">([^<]*)</span>', button)
    assert found, button
    return found.group(1)


def test_a_tick_made_two_days_ago_shows_its_date(app: Flask, client: FlaskClient, auth) -> None:
    auth.login()
    incident_id = declare_incident(client)
    at = datetime.now(UTC) - timedelta(days=2)
    state = _ticked_at(app, client, incident_id, at)
    local = at.astimezone(ZoneInfo(app.config["TIMEZONE"]))
    assert state.startswith(f"Klart {local:%Y-%m-%d %H:%M} – "), state


def test_a_tick_made_today_shows_its_time_alone(app: Flask, client: FlaskClient, auth) -> None:
    auth.login()
    incident_id = declare_incident(client)
    at = datetime.now(UTC)
    state = _ticked_at(app, client, incident_id, at)
    local = at.astimezone(ZoneInfo(app.config["TIMEZONE"]))
    assert state.startswith(f"Klart {local:%H:%M} – "), state


def test_a_tick_in_the_repeated_autumn_hour_is_marked(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    incident_id = declare_incident(client)
    # 00:30 UTC on 2025-10-26 is 02:30 summer time, the first of Stockholm's two 02:30s.
    state = _ticked_at(app, client, incident_id, datetime(2025, 10, 26, 0, 30, tzinfo=UTC))
    assert state.startswith("Klart 2025-10-26 02:30 (UTC+2) – "), state


def test_a_tick_no_longer_in_the_routine_shows_its_date(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    incident_id = declare_incident(client)
    at = datetime.now(UTC) - timedelta(days=2)
    _ticked_at(app, client, incident_id, at)
    auth.login("admin")
    config = EXAMPLE_SITE.read_text(encoding="utf-8").replace(f'  "{BOOK}",\n', "", 1)
    assert client.post("/admin/site", data={"config_toml": config}).status_code == 302
    page = html.unescape(client.get(f"/incidents/{incident_id}").get_data(as_text=True))
    start = page.index("Avbockat men inte längre i rutinen</h3>")
    removed = page[start : page.index("</ul>", start)]
    local = at.astimezone(ZoneInfo(app.config["TIMEZONE"]))
    assert f"{BOOK} – Klart {local:%Y-%m-%d %H:%M} – " in removed, removed
