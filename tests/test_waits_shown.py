"""A wait reads the same on the board and on the printed incident list as on the worklist:
"3 h 20 min", from a day "1 d 2 h", never "1565 min"."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Case

from .factories import local_minute, referral_data
from .printforms.conftest import pdf_text


def _referral_of_yesterday(client: FlaskClient, auth) -> str:
    """A new outage with one referral that arrived 26 h 05 min ago; its case's page."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    created = client.post(
        "/cases/new",
        data=referral_data(
            patient_name="Yngve Igår", arrived_at=local_minute(-timedelta(hours=26, minutes=5))
        ),
    )
    assert created.status_code == 302
    return created.headers["Location"]


def test_board_shows_a_wait_from_yesterday_in_days_and_hours(client: FlaskClient, auth) -> None:
    _referral_of_yesterday(client, auth)
    page = client.get("/board/").get_data(as_text=True)
    assert '<span class="b-wait">1 d 2 h</span>' in page
    assert "1565 min" not in page and "1566 min" not in page
    client.post("/language", data={"lang": "en", "next": "/"})
    assert '<span class="b-wait">1 d 2 h</span>' in client.get("/board/").get_data(as_text=True)


def test_board_shows_a_wait_under_a_day_in_hours_and_minutes(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    client.post("/cases/new", data=referral_data(arrived_at=local_minute(-timedelta(hours=3))))
    page = client.get("/board/").get_data(as_text=True)
    # 3 h 00 min, or 3 h 01 min should the minute turn between the post and the read.
    assert '<span class="b-wait">3 h 0' in page


def test_incident_list_shows_a_wait_from_yesterday_in_days_and_hours(
    app: Flask, client: FlaskClient, auth
) -> None:
    location = _referral_of_yesterday(client, auth)
    with app.app_context():
        case = db.session.get(Case, int(location.rsplit("/", 1)[-1]))
        assert case is not None
        incident_id, code = case.incident_id, case.code
    text = pdf_text(client.get(f"/print/incidents/{incident_id}/list.pdf").get_data())
    # The column's head, then the wait at the end of the case's line.
    assert f"Status\nVäntat\n{code}\n" in text
    assert re.search(r"\b1 d 2 h\n", text), text
    assert "1565" not in text and "1566" not in text
