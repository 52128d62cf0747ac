"""A case past its priority's longest wait is marked "Försenad" wherever staff act on it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from .factories import exam_data, referral_data, report_data


def _now_local() -> str:
    return datetime.now(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%dT%H:%M")


def _case(client: FlaskClient, auth, **overrides: object) -> str:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(**overrides)).headers["Location"]
    return location


@pytest.mark.parametrize(
    ("role", "suffix"),
    [("radiographer", ""), ("radiographer", "/exam"), ("radiologist", "/reporting")],
)
def test_case_past_its_deadline_is_marked_late_on_the_pages_that_act_on_it(
    client: FlaskClient, auth, role: str, suffix: str
) -> None:
    # "Akut" may wait 60 minutes in the example site; this one arrived long ago.
    location = _case(client, auth, arrived_at="2026-01-15T08:00")
    case_id = location.rsplit("/", 1)[-1]
    auth.login(role)
    url = f"/reporting/{case_id}" if suffix == "/reporting" else location + suffix
    page = client.get(url).get_data(as_text=True)
    assert "Försenad" in page


def test_case_within_its_deadline_is_not_marked_late(client: FlaskClient, auth) -> None:
    location = _case(client, auth, arrived_at=_now_local())
    auth.login("radiologist")
    assert "Försenad" not in client.get(location).get_data(as_text=True)
    case_id = location.rsplit("/", 1)[-1]
    assert "Försenad" not in client.get(f"/reporting/{case_id}").get_data(as_text=True)


def test_case_without_a_deadline_is_not_marked_late(client: FlaskClient, auth) -> None:
    # "Rutin" has no longest wait in the example site, however long it has waited.
    location = _case(client, auth, priority="rutin", arrived_at="2026-01-15T08:00")
    assert "Försenad" not in client.get(location).get_data(as_text=True)


def test_definitively_reported_case_is_no_longer_marked_late(client: FlaskClient, auth) -> None:
    location = _case(client, auth, arrived_at="2026-01-15T08:00")
    client.post(location + "/exam", data=exam_data())
    case_id = location.rsplit("/", 1)[-1]
    auth.login("radiologist")
    client.post(
        f"/reporting/{case_id}",
        data=report_data(conclusion="Ingen akut patologi.", version=""),
    )
    page = client.get(location).get_data(as_text=True)
    assert "Definitivt utlåtande" in page and "Försenad" not in page


def test_case_of_an_ended_incident_is_no_longer_marked_late(app, client: FlaskClient, auth) -> None:
    from webapp.extensions import db
    from webapp.models import Case, utcnow

    location = _case(client, auth, arrived_at="2026-01-15T08:00")
    with app.app_context():
        db.session.scalar(select(Case)).incident.ended_at = utcnow()
        db.session.commit()
    # Left without a report when the incident closed (waived): nobody here can act on it now.
    assert "Försenad" not in client.get(location).get_data(as_text=True)
