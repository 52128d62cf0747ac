"""Declaring an incident, its routine checklist, and ending it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Incident, IncidentLogEntry

from .catchup_support import with_page_lists
from .factories import declare_incident


def _declare(client: FlaskClient, scenario: str = "integration", drill: bool = False) -> int:
    return declare_incident(client, scenario, drill=drill, notes="BizTalk svarar inte")


def test_declared_incident_shows_its_routine(client: FlaskClient, auth) -> None:
    auth.login()
    incident_id = _declare(client)
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "Integrationsmotorn nere" in page
    assert "Remittenten skriver ut och faxar remissen" in page
    assert "IT-support kontaktad" in page
    assert "BizTalk svarar inte" in page


def test_declare_requires_a_known_scenario(client: FlaskClient, auth) -> None:
    auth.login()
    response = client.post("/incidents/new", data={"scenario": "nonsense", "notes": "kvar"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Inte ett giltigt val" in page
    assert "kvar" in page
    assert db.session is not None


def test_ticking_a_notification_logs_user_and_time(app: Flask, client: FlaskClient, auth) -> None:
    info = auth.login()
    incident_id = _declare(client)
    client.post(
        f"/incidents/{incident_id}/steps", data={"step_key": "tib_informed", "is_done": "1"}
    )
    with app.app_context():
        entry = db.session.scalar(select(IncidentLogEntry))
        assert entry.step_key == "tib_informed"
        assert entry.user_id == info.id
        assert entry.is_done
        assert entry.at is not None
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "Klart" in page


def test_untick_is_a_new_log_entry(app: Flask, client: FlaskClient, auth) -> None:
    auth.login()
    incident_id = _declare(client)
    for state in ("1", "0"):
        client.post(
            f"/incidents/{incident_id}/steps", data={"step_key": "it_called", "is_done": state}
        )
    with app.app_context():
        entries = db.session.scalars(select(IncidentLogEntry).order_by(IncidentLogEntry.id)).all()
    assert [e.is_done for e in entries] == [True, False]


def test_unknown_step_is_not_logged(app: Flask, client: FlaskClient, auth) -> None:
    auth.login()
    incident_id = _declare(client)
    client.post(f"/incidents/{incident_id}/steps", data={"step_key": "made_up", "is_done": "1"})
    with app.app_context():
        assert db.session.scalar(select(IncidentLogEntry)) is None


def test_only_admin_ends_an_incident_and_only_by_closing_it(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    incident_id = _declare(client)
    assert client.post(f"/catchup/incidents/{incident_id}/close").status_code == 403
    auth.logout()
    auth.login(role="admin")
    # Ending without the final batch and backup of the close is not offered.
    assert client.post(f"/incidents/{incident_id}/end").status_code == 404
    client.post(
        f"/catchup/incidents/{incident_id}/close",
        data=with_page_lists(client, incident_id, {"confirm_unnotified": "y"}),
    )
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        assert incident.ended_at is not None
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "incident_end"))


def test_drill_incident_is_marked(client: FlaskClient, auth) -> None:
    auth.login()
    incident_id = _declare(client, drill=True)
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "ÖVNING" in page


def test_phone_numbers_follow_service_hours(app: Flask) -> None:
    from webapp.sites import site_config

    with app.app_context():
        from tests.factories import default_site

        config = site_config(default_site())
    # Weekday 16:00: the small site's fax is closed, the main one applies.
    assert config.contact_now("fax_small_site", datetime(2026, 11, 23, 16, 0)).key == "fax_main"
    assert (
        config.contact_now("fax_small_site", datetime(2026, 11, 23, 10, 0)).key == "fax_small_site"
    )
    # Saturday: closed all day.
    assert config.contact_now("fax_small_site", datetime(2026, 11, 28, 10, 0)).key == "fax_main"
    # Overnight window: 03:00 on Tuesday belongs to Monday's night shift.
    assert config.contact_now("external_reviewer", datetime(2026, 11, 24, 3, 0)).key == (
        "external_reviewer"
    )
    assert config.contact_now("external_reviewer", datetime(2026, 11, 24, 12, 0)).key == (
        "oncall_radiologist"
    )


def test_incident_of_another_site_is_not_found(app: Flask, client: FlaskClient, auth) -> None:
    from webapp.models import Site

    auth.login()
    incident_id = _declare(client)
    with app.app_context():
        other = Site(code="OTH", name="Annan", config_toml=db.session.get(Site, 1).config_toml)
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    auth.logout()
    from tests.factories import make_user

    with app.app_context():
        make_user(username="other", site_id=other_id)
    client.post("/login", data={"username": "other", "secret": "482915"})
    assert client.get(f"/incidents/{incident_id}").status_code == 404


def _open_incidents(app: Flask) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Incident).where(Incident.ended_at.is_(None))).all())


def test_the_same_outage_declared_on_a_second_tablet_is_not_opened_twice(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Two open incidents of one outage would split its cases between two boards and worklists.
    auth.login()
    first = _declare(client)
    auth.login("radiographer", username="second-tablet")
    response = client.post("/incidents/new", data={"scenario": "integration", "notes": "Igen"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "pågår redan" in page and "Igen" in page
    assert f"/incidents/{first}/select" in page  # one tap to work in it instead
    assert _open_incidents(app) == 1


def test_another_outage_or_a_drill_is_declared_beside_an_open_one(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    _declare(client)
    _declare(client, scenario="pacs")
    _declare(client, drill=True)
    _declare(client, drill=True)  # two training groups at once
    assert _open_incidents(app) == 4


def test_a_new_outage_is_declared_the_same_night_once_the_first_has_ended(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    first = _declare(client)
    with app.app_context():
        db.session.get(Incident, first).ended_at = datetime.now(UTC)
        db.session.commit()
    second = _declare(client)
    assert second != first and _open_incidents(app) == 1


def test_a_drill_started_during_a_real_outage_does_not_become_everyones_current_incident(
    app: Flask, client: FlaskClient, auth
) -> None:
    from .factories import referral_data

    auth.login()
    real = _declare(client)
    auth.login("radiographer", username="trainer")
    drill = _declare(client, scenario="pacs", drill=True)
    # A radiographer starting the shift has chosen nothing: real patients go to the real outage.
    auth.login("radiographer", username="night-shift")
    page = client.get("/board/").get_data(as_text=True)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert heading is not None and "Integrationsmotorn nere" in heading.group(1)
    client.post("/cases/new", data=referral_data())
    with app.app_context():
        from webapp.models import Case

        assert db.session.scalar(select(Case.incident_id)) == real != drill


def test_a_tablet_working_in_a_drill_is_told_when_a_real_outage_starts(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login("radiographer", username="trainer")
    drill = _declare(client, scenario="pacs", drill=True)
    page = client.get("/cases/new").get_data(as_text=True)
    assert "ÖVNING" in page and "Ett verkligt driftstopp pågår" not in page
    # Another tablet declares a real outage; this one still works in the drill it chose.
    other = tablet_factory("trainer")
    real = _declare(other)
    page = client.get("/cases/new").get_data(as_text=True)
    assert "Ett verkligt driftstopp pågår" in page and "Integrationsmotorn nere" in page
    assert f'action="/incidents/{real}/select"' in page
    client.post(f"/incidents/{real}/select")
    page = client.get("/cases/new").get_data(as_text=True)
    assert "ÖVNING" not in page and "Ett verkligt driftstopp pågår" not in page
    assert drill != real


def test_a_tick_with_an_unknown_state_keeps_the_notification_done(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Read as "not 1", such a state once unticked a notification unasked, and the close then
    # asked about a call that was made.
    auth.login()
    incident_id = _declare(client)
    client.post(f"/incidents/{incident_id}/steps", data={"step_key": "it_called", "is_done": "1"})
    response = client.post(
        f"/incidents/{incident_id}/steps", data={"step_key": "it_called", "is_done": "ja"}
    )
    assert "Steget kunde inte sparas." in response.get_data(as_text=True) or (
        response.status_code == 302
        and "Steget kunde inte sparas." in client.get(response.location).get_data(as_text=True)
    )
    with app.app_context():
        entries = db.session.scalars(select(IncidentLogEntry).order_by(IncidentLogEntry.id)).all()
    assert [e.is_done for e in entries] == [True]
