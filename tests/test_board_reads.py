"""The board in the access log: its opening, and a row a quarter hour while it stays open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.board import reads
from webapp.models import utcnow

from .factories import DEFAULT_PIN, audit_events


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list:
    """The board's clock, moved on by hand: [now]."""
    now = [utcnow()]
    monkeypatch.setattr(reads, "utcnow", lambda: now[0])
    return now


def _refresh(client: FlaskClient, incident_id: int) -> None:
    response = client.get(f"/board/rows?incident={incident_id}")
    assert response.status_code == 200


def test_a_board_left_open_logs_its_refreshes_once_a_quarter_hour(
    app: Flask, client: FlaskClient, auth, case_id: int, clock: list
) -> None:
    auth.login("radiographer")
    client.get("/board/")
    (opened,) = audit_events(app, "board_view")
    incident_id = opened.incident_id
    for _ in range(3):  # every 10 seconds, as the page asks
        clock[0] += timedelta(seconds=10)
        _refresh(client, incident_id)
    assert audit_events(app, "board_refresh") == []
    clock[0] += reads.REFRESH_LOGGED_EVERY
    _refresh(client, incident_id)
    _refresh(client, incident_id)
    (still_open,) = audit_events(app, "board_refresh")
    assert still_open.incident_id == incident_id
    assert still_open.user_id == opened.user_id
    clock[0] += reads.REFRESH_LOGGED_EVERY
    _refresh(client, incident_id)
    assert len(audit_events(app, "board_refresh")) == 2


def test_a_refresh_without_the_page_opened_in_this_login_is_logged_at_once(
    app: Flask, client: FlaskClient, auth, case_id: int, clock: list
) -> None:
    # A tablet that logged in again (or a laptop restarted) with the board still up: its next
    # refresh is the first read of this login, and the log shows it.
    auth.login("radiographer")
    client.get("/board/")
    incident_id = audit_events(app, "board_view")[0].incident_id
    auth.logout()
    auth.login("radiographer")
    _refresh(client, incident_id)
    assert len(audit_events(app, "board_refresh")) == 1
    _refresh(client, incident_id)
    assert len(audit_events(app, "board_refresh")) == 1


def test_each_login_on_the_board_is_logged_apart(
    app: Flask, client: FlaskClient, auth, case_id: int, clock: list
) -> None:
    auth.login("radiologist")  # the user the second tablet logs in as
    auth.login("radiographer")
    client.get("/board/")
    (opened,) = audit_events(app, "board_view")
    other = app.test_client()
    login = {"username": "test-radiologist", "secret": DEFAULT_PIN}
    assert other.post("/login", data=login).status_code == 302
    _refresh(other, opened.incident_id)
    _refresh(client, opened.incident_id)
    (row,) = audit_events(app, "board_refresh")
    assert row.user_id != opened.user_id


def test_a_refresh_of_an_ended_incidents_board_logs_nothing(
    app: Flask, client: FlaskClient, auth, case_id: int, clock: list
) -> None:
    from webapp.extensions import db
    from webapp.models import Incident

    auth.login("radiographer")
    client.get("/board/")
    incident_id = audit_events(app, "board_view")[0].incident_id
    with app.app_context():
        db.session.get(Incident, incident_id).ended_at = utcnow()
        db.session.commit()
    clock[0] += reads.REFRESH_LOGGED_EVERY
    assert client.get(f"/board/rows?incident={incident_id}").status_code == 302
    assert audit_events(app, "board_refresh") == []
