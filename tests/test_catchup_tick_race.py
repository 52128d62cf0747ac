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


def test_the_first_two_ticks_after_the_booking_at_the_same_moment_are_both_kept(
    app: Flask, client: FlaskClient, world, tablet_factory
) -> None:
    case_id = world["ids"][0]
    url = f"/catchup/cases/{case_id}/steps"
    # Booked with the accession saved. Every other step waits for the booking: the two that
    # race are the first two after it.
    save_accession(client, case_id)
    responses = posted_while_the_case_was_locked(
        app,
        case_id,
        [
            _tick(client, url, "exam_completed"),
            _tick(tablet_factory("test-secretary", role="secretary"), url, "report_keyed"),
        ],
    )
    assert [r.status_code for r in responses] == [302, 302]
    with app.app_context():
        ticked = db.session.scalars(select(CatchupTick.step).where(CatchupTick.is_done)).all()
    assert sorted(ticked) == ["booked", "exam_completed", "report_keyed"]


def test_the_last_two_ticks_at_the_same_moment_leave_the_case_keyed_in_ris(
    app: Flask, client: FlaskClient, world, tablet_factory
) -> None:
    case_id = world["ids"][0]
    url = f"/catchup/cases/{case_id}/steps"
    save_accession(client, case_id)
    # The last two apart from each other: the korr-lista waits for the report keyed, so racing
    # those two would be refused whenever the list came first.
    last = ("exam_completed", "images_matched")
    # Booked with the accession saved.
    for step in (s for s in STEPS[1:] if s not in last):
        assert client.post(url, data={"step": step, "is_done": "1"}).status_code == 302
    responses = posted_while_the_case_was_locked(
        app,
        case_id,
        [
            _tick(client, url, last[0]),
            _tick(tablet_factory("test-secretary", role="secretary"), url, last[1]),
        ],
    )
    assert [r.status_code for r in responses] == [302, 302], [
        r.get_data(as_text=True)[-3000:] for r in responses if r.status_code != 302
    ]
    with app.app_context():
        assert db.session.get(Case, case_id).status == "keyed_in_ris"
