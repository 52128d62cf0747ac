"""What one tick reads and sends: its cost stays put however often the case was ticked.

A secretary taps a step on and off while keying RIS, and every tap is a tick kept for the audit
trail. The tick decides from the latest tick of each step only, so it reads only those.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.catchup.services import CASE_STATE_AND_TICKS
from webapp.extensions import db

from .catchup_support import save_accession
from .catchup_world_support import world as world  # the fixture
from .statements import sent_statements


def _tick(client: FlaskClient, case_id: int, step: str, is_done: str) -> None:
    data = {"step": step, "is_done": is_done, "confirm_uncheck": "1"}
    response = client.post(f"/catchup/cases/{case_id}/steps", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_the_tick_reads_one_row_a_step_however_often_it_was_ticked(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    save_accession(client, case_id)
    # Booked with the accession: each undo and tick again adds a row.
    for _ in range(5):
        _tick(client, case_id, "booked", "0")
        _tick(client, case_id, "booked", "1")
    _tick(client, case_id, "exam_completed", "1")
    with app.app_context():
        rows = db.session.connection().execute(CASE_STATE_AND_TICKS, {"case_id": case_id}).all()
    assert {(r.tick_step, r.tick_is_done) for r in rows} == {
        ("booked", True),
        ("exam_completed", True),
    }
    assert len(rows) == 2


def test_a_case_never_ticked_is_read_as_one_row_without_a_tick(
    app: Flask, client: FlaskClient, world
) -> None:
    with app.app_context():
        rows = db.session.connection().execute(CASE_STATE_AND_TICKS, {"case_id": world["ids"][0]})
        assert [r.tick_id for r in rows] == [None]


def test_a_tick_sends_no_more_statements_on_a_case_ticked_many_times(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    save_accession(client, case_id)
    with sent_statements(app) as first:
        _tick(client, case_id, "exam_completed", "1")
    for _ in range(5):
        _tick(client, case_id, "exam_completed", "0")
        _tick(client, case_id, "exam_completed", "1")
    with sent_statements(app) as later:
        _tick(client, case_id, "exam_completed", "0")
    # The session, the form key, the case with its ticks; the tick, the case, the audit, the key.
    assert len(first) <= 9, first
    assert len(later) <= len(first), later
