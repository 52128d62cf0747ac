"""The incident page's log marks the ticks that no longer count as the report's course does: a
follow-up ticked before 'Systemen fungerar igen' was undone, a tick made before a change of
scenario (the new routine's are made again); read from the entries' keys and order."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import IncidentLogEntry

from .factories import declare_incident
from .other_site_support import visible
from .test_incidents_restored_follow_up import FOLLOW_UP, _restore, _tick


def entry_time(
    app: Flask, incident_id: int, step_key: str, fmt: str = "%H:%M", *, is_done: bool = True
) -> str:
    """The local time (HH:MM) of the incident's (one) log entry of this key and state."""
    with app.app_context():
        at = db.session.scalar(
            select(IncidentLogEntry.at).where(
                IncidentLogEntry.incident_id == incident_id,
                IncidentLogEntry.step_key == step_key,
                IncidentLogEntry.is_done.is_(is_done),
            )
        )
    assert at is not None
    return at.astimezone(ZoneInfo(app.config["TIMEZONE"])).strftime(fmt)


def _log(client: FlaskClient, incident_id: int) -> str:
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    match = re.search(r'<ul class="log">.*?</ul>', page, re.S)
    assert match is not None
    return " ".join(visible(match.group(0)).split())


def _tick_tib(client: FlaskClient, incident_id: int, is_done: str = "1") -> None:
    client.post(
        f"/incidents/{incident_id}/steps", data={"step_key": "tib_informed", "is_done": is_done}
    )


def test_a_follow_up_ticked_before_an_undone_restore_is_not_counting_in_the_log(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    _restore(client, incident_id)
    _tick(client, incident_id)
    _restore(client, incident_id, "0")
    _restore(client, incident_id)
    _tick(client, incident_id)
    log = _log(client, incident_id)
    undone = entry_time(app, incident_id, IncidentLogEntry.SYSTEMS_RESTORED, is_done=False)
    marked = f"{FOLLOW_UP} – klart (före ångrat 'Systemen fungerar igen' {undone}, räknas inte)"
    assert log.count(marked) == 1
    # The tick made for the restore that stands counts as it stands.
    assert log.count(f"{FOLLOW_UP} – klart") == 2


def test_a_tick_made_before_a_change_of_scenario_is_not_counting_in_the_log(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    _tick_tib(client, incident_id)
    client.post(f"/incidents/{incident_id}/scenario", data={"scenario": "om_ris"})
    _tick_tib(client, incident_id)
    log = _log(client, incident_id)
    changed = entry_time(app, incident_id, IncidentLogEntry.SCENARIO_CHANGE)
    assert log.count(f"– klart (före byte av scenario {changed}, räknas inte)") == 1
    assert log.count("räknas inte") == 1


def test_an_undo_before_a_change_of_scenario_stays_undone_and_plain_ticks_plain(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    _tick_tib(client, incident_id)
    _tick_tib(client, incident_id, "0")
    log = _log(client, incident_id)
    assert "– ångrat" in log and "räknas inte" not in log
