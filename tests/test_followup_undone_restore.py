"""The follow-up report's course: a follow-up ticked for a restore that was undone is shown as
done then, and as not counting, on the page and on the sheet."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import IncidentLogEntry

from .factories import declare_incident
from .other_site_support import visible
from .printforms.conftest import pdf_text
from .test_incidents_log_uncounted import entry_time
from .test_incidents_restored_follow_up import FOLLOW_UP, _restore, _tick


def _undone_at(app: Flask, incident_id: int, fmt: str = "%H:%M") -> str:
    with app.app_context():
        at = db.session.scalar(
            select(IncidentLogEntry.at).where(
                IncidentLogEntry.incident_id == incident_id,
                IncidentLogEntry.step_key == IncidentLogEntry.SYSTEMS_RESTORED,
                IncidentLogEntry.is_done.is_(False),
            )
        )
    assert at is not None
    return at.astimezone(ZoneInfo(app.config["TIMEZONE"])).strftime(fmt)


def _shown(client: FlaskClient, incident_id: int) -> tuple[str, str]:
    page = visible(client.get(f"/incidents/{incident_id}/followup").get_data(as_text=True))
    sheet = pdf_text(client.get(f"/incidents/{incident_id}/followup.pdf").get_data())
    return " ".join(page.split()), " ".join(sheet.split())


def test_a_follow_up_ticked_before_an_undone_restore_is_shown_as_not_counting(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    _restore(client, incident_id)
    _tick(client, incident_id)
    _restore(client, incident_id, "0")
    _restore(client, incident_id)
    _tick(client, incident_id)
    auth.login("admin")
    page, sheet = _shown(client, incident_id)
    undone = f"före ångrat 'Systemen fungerar igen' {_undone_at(app, incident_id)}, räknas inte"
    assert f"{FOLLOW_UP} – klart ({undone})" in page
    # Paper has no today: the sheet gives the date, as its other times.
    dated = _undone_at(app, incident_id, "%Y-%m-%d %H:%M")
    on_paper = f"före ångrat 'Systemen fungerar igen' {dated}, räknas inte"
    assert f"Klar ({on_paper})" in sheet
    # The tick made after the systems were marked working again counts as it stands.
    assert page.count(f"{FOLLOW_UP} – klart –") == 1
    assert sheet.count(on_paper) == 1


def test_a_follow_up_ticked_for_the_standing_restore_is_plain_done(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    _restore(client, incident_id)
    _tick(client, incident_id)
    auth.login("admin")
    page, sheet = _shown(client, incident_id)
    assert f"{FOLLOW_UP} – klart –" in page
    assert "räknas inte" not in page and "räknas inte" not in sheet


def test_a_notification_ticked_before_a_change_of_scenario_is_shown_as_not_counting(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The new routine's notifications are made again: the wards must hear what to do now.
    auth.login("radiographer")
    incident_id = declare_incident(client)
    tick = {"step_key": "tib_informed", "is_done": "1"}
    client.post(f"/incidents/{incident_id}/steps", data=tick)
    client.post(f"/incidents/{incident_id}/scenario", data={"scenario": "om_ris"})
    client.post(f"/incidents/{incident_id}/steps", data=tick)
    auth.login("admin")
    page, sheet = _shown(client, incident_id)
    changed = entry_time(app, incident_id, IncidentLogEntry.SCENARIO_CHANGE)
    assert page.count(f"– klart (före byte av scenario {changed}, räknas inte)") == 1
    on_paper = entry_time(app, incident_id, IncidentLogEntry.SCENARIO_CHANGE, "%Y-%m-%d %H:%M")
    assert sheet.count(f"Klar (före byte av scenario {on_paper}, räknas inte)") == 1
    assert page.count("räknas inte") == 1
