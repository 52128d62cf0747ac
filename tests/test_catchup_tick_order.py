"""The latest tick of a step is the one written last, whatever the laptop's clock said.

A downtime laptop's clock can be set back (by hand, or by a time sync after running fast): a
step undone after that carries an earlier time than the tick it undoes, and must still win.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.accession_rule import lacks_accession_clause
from webapp.catchup import ticking
from webapp.catchup.batch import latest_ticks
from webapp.catchup.services import done_steps
from webapp.extensions import db
from webapp.models import Case, CatchupRecord, utcnow

from .catchup_support import tick_all
from .catchup_world_support import STEPS
from .catchup_world_support import world as world  # the fixture


def _untick(client: FlaskClient, case_id: int, step: str) -> None:
    # Confirmed: undoing the booking undoes the steps done on it (step_rules).
    data = {"step": step, "is_done": "0", "confirm_uncheck": "1"}
    response = client.post(f"/catchup/cases/{case_id}/steps", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_step_undone_with_the_clock_set_back_stands_undone(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    with app.app_context():
        assert db.session.get(Case, case_id).status == "keyed_in_ris"
    with pytest.MonkeyPatch.context() as clock:
        clock.setattr(ticking, "utcnow", lambda: utcnow() - timedelta(hours=1))
        _untick(client, case_id, STEPS[-1])
    with app.app_context():
        assert db.session.get(Case, case_id).status != "keyed_in_ris"
        assert db.session.get(Case, case_id).catchup.keyed_at is None
        assert STEPS[-1] not in done_steps(db.session, case_id)
        assert not latest_ticks([case_id])[case_id][STEPS[-1]].is_done


def test_the_batch_lists_a_step_undone_with_the_clock_set_back_as_left(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    with pytest.MonkeyPatch.context() as clock:
        clock.setattr(ticking, "utcnow", lambda: utcnow() - timedelta(hours=1))
        _untick(client, case_id, STEPS[-1])
    raw = client.get(f"/catchup/incidents/{world['incident_id']}/export/json").get_data()
    (case,) = [c for c in json.loads(raw)["cases"] if c["code"] == world["codes"][0]]
    assert {s["step"]: s["done"] for s in case["steps"]}[STEPS[-1]] is False
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert f"/catchup/cases/{case_id}" in page  # outstanding again


def test_the_one_who_ticked_the_last_step_keyed_the_case_though_the_clock_was_set_back(
    app: Flask, client: FlaskClient, world, tablet_factory
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    _untick(client, case_id, STEPS[-1])
    other = tablet_factory("sek3", role="secretary")
    with pytest.MonkeyPatch.context() as clock:
        clock.setattr(ticking, "utcnow", lambda: utcnow() - timedelta(hours=1))
        response = other.post(
            f"/catchup/cases/{case_id}/steps", data={"step": STEPS[-1], "is_done": "1"}
        )
    assert response.status_code == 302
    with app.app_context():
        record = db.session.get(Case, case_id).catchup
        assert record.keyed_at is not None
        assert record.keyed_by.username == "sek3"


def test_a_booking_undone_with_the_clock_set_back_lacks_no_accession(
    app: Flask, client: FlaskClient, world
) -> None:
    """Older data: booked with no accession. Undone since, the booking asks for none."""
    case_id = world["ids"][0]
    tick_all(client, case_id)
    with pytest.MonkeyPatch.context() as clock:
        clock.setattr(ticking, "utcnow", lambda: utcnow() - timedelta(hours=1))
        _untick(client, case_id, "booked")
    with app.app_context():
        db.session.execute(
            update(CatchupRecord).where(CatchupRecord.case_id == case_id).values(ris_accession="")
        )
        db.session.commit()
        lacking = db.session.scalars(select(Case.id).where(lacks_accession_clause())).all()
    assert case_id not in lacking
