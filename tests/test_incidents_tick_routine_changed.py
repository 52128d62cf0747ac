"""A tick from a page drawn before an admin changed the routine: refused, saying why, with the
routine as it is now on the page and a typed note kept."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import IncidentLogEntry

from .factories import declare_incident

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
OLD_STEP = "Boka patienten manuellt på modaliteten och skriv in tillfälligt ID."
NEW_STEP = "Boka patienten manuellt på modaliteten och skriv in reservnumret."
CHANGED = "Rutinen har ändrats sedan sidan öppnades, så steget bockades inte av."


def _step_key(page: str, label: str) -> str:
    for form in re.findall(r"<form.*?</form>", page, re.S):
        if f'<span class="tick-label">{label}</span>' in html.unescape(form):
            return re.findall(r'name="step_key" value="([^"]*)"', form)[0]
    raise AssertionError(f"no tick for {label}")


def _changed_meanwhile(client: FlaskClient, tablet_factory) -> tuple[int, str]:
    """A step's key as the radiographer's page shows it, after an admin reworded the step."""
    incident_id = declare_incident(client, "integration")
    key = _step_key(client.get(f"/incidents/{incident_id}").get_data(as_text=True), OLD_STEP)
    admin = tablet_factory("chef", role="admin")
    saved = admin.post("/admin/site", data={"config_toml": EXAMPLE.replace(OLD_STEP, NEW_STEP)})
    assert saved.status_code == 302
    return incident_id, key


def _ticks(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(IncidentLogEntry.id))) or 0)


def test_a_tick_of_a_step_reworded_meanwhile_says_the_routine_changed(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login("radiographer")
    incident_id, key = _changed_meanwhile(client, tablet_factory)
    before = _ticks(app)
    response = client.post(
        f"/incidents/{incident_id}/steps",
        data={"step_key": key, "is_done": "1"},
        follow_redirects=True,
    )
    page = html.unescape(response.get_data(as_text=True))
    assert CHANGED in page
    assert "Steget kunde inte sparas." not in page
    # The page shown is the routine as it is now.
    assert NEW_STEP in page and OLD_STEP not in page
    assert _ticks(app) == before


def test_a_note_typed_with_a_refused_tick_is_kept(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login("radiographer")
    incident_id, key = _changed_meanwhile(client, tablet_factory)
    response = client.post(
        f"/incidents/{incident_id}/steps",
        data={"step_key": key, "is_done": "1", "note": "Bokad på DT 2 som RES-17"},
    )
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert CHANGED in page
    assert "Bokad på DT 2 som RES-17" in page
    assert NEW_STEP in page
