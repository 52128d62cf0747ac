"""Two catch-up ticks of one case at the same moment (real concurrent requests)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, CatchupTick

from .catchup_support import save_accession
from .catchup_world_support import STEPS
from .catchup_world_support import world as world  # the fixture
from .twin_race import posted_while_the_case_was_locked


def _tick(client: FlaskClient, url: str, step: str) -> tuple[FlaskClient, str, dict[str, str]]:
    return client, url, {"step": step, "is_done": "1"}


def test_the_first_two_ticks_at_the_same_moment_are_both_kept(
    app: Flask, client: FlaskClient, world, tablet_factory
) -> None:
    case_id = world["ids"][0]
    url = f"/catchup/cases/{case_id}/steps"
    save_accession(client, case_id)
    responses = posted_while_the_case_was_locked(
        app,
        case_id,
        [
            _tick(client, url, "booked"),
            _tick(tablet_factory("test-secretary", role="secretary"), url, "exam_completed"),
        ],
    )
    assert [r.status_code for r in responses] == [302, 302]
    with app.app_context():
        ticked = db.session.scalars(select(CatchupTick.step).where(CatchupTick.is_done)).all()
    assert sorted(ticked) == ["booked", "exam_completed"]


def test_the_last_two_ticks_at_the_same_moment_leave_the_case_keyed_in_ris(
    app: Flask, client: FlaskClient, world, tablet_factory
) -> None:
    case_id = world["ids"][0]
    url = f"/catchup/cases/{case_id}/steps"
    save_accession(client, case_id)
    for step in STEPS[:-2]:
        assert client.post(url, data={"step": step, "is_done": "1"}).status_code == 302
    responses = posted_while_the_case_was_locked(
        app,
        case_id,
        [
            _tick(client, url, STEPS[-2]),
            _tick(tablet_factory("test-secretary", role="secretary"), url, STEPS[-1]),
        ],
    )
    assert [r.status_code for r in responses] == [302, 302]
    with app.app_context():
        assert db.session.get(Case, case_id).status == "keyed_in_ris"
