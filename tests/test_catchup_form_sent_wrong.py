"""A catch-up form that comes back wrong (a hand-made request) is answered, never silently."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Case, CatchupTick

SENT_WRONG = "kom inte fram som sidan skickade det"
SHORT_KEY = "kort"


def _ticks(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(CatchupTick.id))) or 0)


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_step_sent_without_its_state_is_answered_beside_the_step(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    response = client.post(f"/catchup/cases/{case_id}/steps", data={"step": "report_keyed"})
    assert response.status_code == 400
    page = _text(response)
    assert SENT_WRONG in page and "klar eller ångra" in page
    assert _ticks(app) == 0


def test_a_step_sent_without_its_name_is_answered_at_the_top(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    response = client.post(f"/catchup/cases/{case_id}/steps", data={"is_done": "1"})
    assert response.status_code == 400
    page = _text(response)
    assert "flash-error" in page and SENT_WRONG in page and "steget" in page
    assert _ticks(app) == 0


@pytest.mark.parametrize("action", ["verify", "waive/lift", "waive/confirm"])
def test_a_case_action_sent_with_a_broken_key_is_answered(
    client: FlaskClient, auth, case_id: int, action: str
) -> None:
    auth.login("secretary")
    response = client.post(f"/catchup/cases/{case_id}/{action}", data={"form_key": SHORT_KEY})
    assert response.status_code == 400
    page = _text(response)
    assert SENT_WRONG in page and "formulärets nyckel" in page


def test_a_close_sent_with_a_broken_key_is_answered_on_the_batch_page(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
    auth.login("admin")
    response = client.post(
        f"/catchup/incidents/{incident_id}/close",
        data={"form_key": SHORT_KEY},
    )
    assert response.status_code == 400
    page = _text(response)
    assert SENT_WRONG in page and "formulärets nyckel" in page


@pytest.mark.parametrize("state", ["ja", "true", "on", "2"])
def test_a_step_sent_with_an_unknown_state_is_answered_and_keeps_its_tick(
    app: Flask, client: FlaskClient, auth, case_id: int, state: str
) -> None:
    # Read as "not 1", such a state once unticked a done step unasked: a tick lost.
    auth.login("secretary")
    client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": "EXS00000001"})
    before = _ticks(app)
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": state}
    )
    assert response.status_code == 400
    page = _text(response)
    assert SENT_WRONG in page and "klar eller ångra" in page
    assert _ticks(app) == before
