"""The follow-up of an outage over a night the clocks change: its times and durations."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Incident, IncidentLogEntry

from .factories import DEFAULT_PIN, default_site, make_user
from .other_site_support import visible
from .printforms.conftest import pdf_text


def _outage(app: Flask, started: datetime, restored: datetime, ended: datetime) -> int:
    """An ended outage with its systems working again at `restored`; its id."""
    with app.app_context():
        secretary = make_user(role="secretary", username="clock-sara", display_name="Sara S")
        incident = Incident(
            site_id=default_site().id,
            scenario="om_ris",
            title="Beställningsverktyget eller RIS nere",
            started_at=started,
            declared_by_id=secretary.id,
            ended_at=ended,
            ended_by_id=secretary.id,
        )
        db.session.add(incident)
        db.session.flush()
        db.session.add(
            IncidentLogEntry(
                incident_id=incident.id,
                step_key=IncidentLogEntry.SYSTEMS_RESTORED,
                label="Systemen fungerar igen",
                is_done=True,
                user_id=secretary.id,
                at=restored,
            )
        )
        db.session.commit()
        return incident.id


def _shown(client: FlaskClient, incident_id: int) -> tuple[str, str]:
    response = client.post("/login", data={"username": "clock-sara", "secret": DEFAULT_PIN})
    assert response.status_code == 302
    url = f"/incidents/{incident_id}/followup"
    page = " ".join(visible(client.get(url).get_data(as_text=True)).split())
    sheet = " ".join(pdf_text(client.get(url + ".pdf").get_data()).split())
    return page, sheet


def test_a_time_in_the_hour_the_clocks_go_back_says_which_of_the_two_it_is(
    app: Flask, client: FlaskClient
) -> None:
    # 25 Oct 2026: 03:00 summer time becomes 02:00 winter time, so 02:00-02:59 comes twice.
    # Declared 02:40 summer time, working again 02:10 winter time, closed 02:50 winter time:
    # unmarked, the course read as going back in time, its 30 minutes as wrong.
    incident_id = _outage(
        app,
        datetime(2026, 10, 25, 0, 40, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 10, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 50, tzinfo=UTC),
    )
    for shown in _shown(client, incident_id):
        assert "2026-10-25 02:40 (UTC+2)" in shown
        assert "2026-10-25 02:10 (UTC+1)" in shown
        assert "2026-10-25 02:50 (UTC+1)" in shown
        assert "30 min" in shown and "40 min" in shown


def test_times_across_the_spring_gap_are_as_the_clock_showed_and_durations_real(
    app: Flask, client: FlaskClient
) -> None:
    # 29 Mar 2026: 02:00 winter time becomes 03:00 summer time. From 01:30 to 03:30 on the
    # clock is one hour; no time is marked (none is repeated).
    incident_id = _outage(
        app,
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 2, 0, tzinfo=UTC),
    )
    for shown in _shown(client, incident_id):
        assert "2026-03-29 01:30" in shown and "2026-03-29 03:30" in shown
        assert "1 h 00 min" in shown and "30 min" in shown
        assert "(UTC" not in shown
