"""A move to an outage that began over a day after its referral arrived is asked about as the
referral would be in that outage (arrival_bound_rule): a box confirms the arrival, else no move.

The app here runs as on a laptop: its outages keep the moment they were declared, so one
declared now begins after a referral that arrived the day before.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent

from .conftest import AuthActions
from .dbsetup import make_test_app
from .factories import declare_incident, incident_of, local_minute, referral_data
from .test_cases_move import move_form
from .test_double_tap_sweep import form_fields

ASKED = "ligger mer än ett dygn före driftstoppets start"
REASON = "Fel driftstopp valt"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False, on_data_day=False)
    yield app
    teardown()


def _case_arrived_before_the_later_outage(
    client: FlaskClient, auth: AuthActions
) -> tuple[int, int, int]:
    """A case of an outage begun 30 hours ago, its referral 26 hours old, and an outage
    declared now beside it: (earlier, later, case)."""
    auth.login("radiographer")
    earlier = declare_incident(client, "om_ris", started_at=local_minute(-timedelta(hours=30)))
    arrived = local_minute(-timedelta(hours=26))
    response = client.post("/cases/new", data=referral_data(arrived_at=arrived))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    later = declare_incident(client, "pacs")
    return earlier, later, int(response.headers["Location"].rsplit("/", 1)[-1])


def _sent_again(target: int) -> dict[str, str]:
    """The asked page's form sent again, the box ticked (the reason is a text area: typed)."""
    return {"target": str(target), "reason": REASON, "arrival_confirmed": "y"}


def _text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_move_to_an_outage_begun_over_a_day_after_the_arrival_is_asked_about(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    earlier, later, case_id = _case_arrived_before_the_later_outage(client, auth)
    response = client.post(f"/cases/{case_id}/move", data=move_form(client, case_id, later, REASON))
    assert response.status_code == 409
    page = _text(response)
    assert ASKED in page
    assert 'id="move-arrival-confirmed"' in page  # the box beside the target
    assert REASON in page  # the reason typed stays
    assert re.search(rf'<input checked[^>]*value="{later}"', page)  # and the target chosen
    assert incident_of(app, case_id) == earlier


def test_the_arrival_confirmed_the_case_moves_and_the_audit_row_says_so(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _earlier, later, case_id = _case_arrived_before_the_later_outage(client, auth)
    url = f"/cases/{case_id}/move"
    asked = _text(client.post(url, data=move_form(client, case_id, later, REASON)))
    data = form_fields(asked, url) | _sent_again(later)
    response = client.post(url, data=data)
    assert response.status_code == 302, _text(response)[:3000]
    assert incident_of(app, case_id) == later
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case_move"))
        assert "bekräftad som rätt" in event.detail


def test_a_tick_sent_without_the_question_does_not_count(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    earlier, later, case_id = _case_arrived_before_the_later_outage(client, auth)
    data = move_form(client, case_id, later, REASON) | {"arrival_confirmed": "y"}
    response = client.post(f"/cases/{case_id}/move", data=data)
    assert response.status_code == 409
    assert ASKED in _text(response)
    assert incident_of(app, case_id) == earlier


def test_a_tick_given_for_another_target_does_not_count(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    earlier, later, case_id = _case_arrived_before_the_later_outage(client, auth)
    latest = declare_incident(client, "total")
    url = f"/cases/{case_id}/move"
    asked = _text(client.post(url, data=move_form(client, case_id, later, REASON)))
    data = form_fields(asked, url) | _sent_again(latest)
    response = client.post(url, data=data)
    assert response.status_code == 409
    assert ASKED in _text(response)
    assert incident_of(app, case_id) == earlier


def test_a_move_to_an_outage_begun_within_a_day_of_the_arrival_is_not_asked_about(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("radiographer")
    earlier = declare_incident(client, "om_ris", started_at=local_minute(-timedelta(hours=30)))
    arrived = local_minute(-timedelta(hours=20))
    location = client.post("/cases/new", data=referral_data(arrived_at=arrived)).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    later = declare_incident(client, "pacs")
    response = client.post(f"/cases/{case_id}/move", data=move_form(client, case_id, later, REASON))
    assert response.status_code == 302
    assert incident_of(app, case_id) == later
    assert earlier != later
