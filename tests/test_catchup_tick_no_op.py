"""A tick that asks for the state a step is already in (two tablets, a page drawn before the
booking made with the accession, a resend under another key) changes nothing and says so."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.catchup.services import CatchupError
from webapp.catchup.ticking import ALREADY_DONE, NOT_DONE, tick_step
from webapp.extensions import db
from webapp.models import AuditEvent, CatchupTick, User

from .catchup_support import save_accession
from .catchup_world_support import world as world  # the fixture


def _user() -> User:
    user = db.session.scalar(select(User).where(User.username == "test-secretary"))
    assert user is not None
    return user


def _counts(app: Flask, case_id: int, step: str) -> tuple[int, int]:
    """The step's tick rows and the case's catchup_step audit rows."""
    with app.app_context():
        ticks = db.session.scalar(
            select(func.count())
            .select_from(CatchupTick)
            .where(CatchupTick.case_id == case_id, CatchupTick.step == step)
        )
        events = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.case_id == case_id, AuditEvent.action == "catchup_step")
        )
        return int(ticks or 0), int(events or 0)


def _tick(case_id: int, step: str, is_done: bool) -> None:
    tick_step(case_id=case_id, user=_user(), step=step, is_done=is_done, four_eyes=True)


def test_ticking_a_done_step_done_again_writes_nothing_and_says_already_done(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    save_accession(client, case_id)
    before = _counts(app, case_id, "booked")
    with app.app_context(), pytest.raises(CatchupError) as refused:
        _tick(case_id, "booked", True)
    assert refused.value.message == ALREADY_DONE
    assert _counts(app, case_id, "booked") == before == (1, 1)


def test_undoing_a_step_not_done_writes_nothing_and_says_so(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    save_accession(client, case_id)
    with app.app_context():
        _tick(case_id, "booked", False)
    before = _counts(app, case_id, "booked")
    with app.app_context(), pytest.raises(CatchupError) as refused:
        _tick(case_id, "booked", False)
    assert refused.value.message == NOT_DONE
    assert _counts(app, case_id, "booked") == before == (2, 2)
    # A step never ticked is no more undone by an undo.
    with app.app_context(), pytest.raises(CatchupError):
        _tick(case_id, "exam_completed", False)
    assert _counts(app, case_id, "exam_completed") == (0, 2)


def test_the_booked_step_tapped_after_the_accession_saved_it_stays_booked_and_says_so(
    app: Flask, client: FlaskClient, world
) -> None:
    # The page drawn before the save offered "Bokad i RIS" to tick; the save booked it.
    case_id = world["ids"][0]
    save_accession(client, case_id)
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "1"}
    )
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    note = page.split('id="step-booked-note"', 1)[1].split("</p>", 1)[0]
    assert "”Bokad i RIS” är redan klar" in note
    assert 'data-step="booked" aria-pressed="true"' in page
    assert _counts(app, case_id, "booked") == (1, 1)


def test_an_undo_sent_twice_under_two_keys_is_one_undo_and_says_so(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    save_accession(client, case_id)
    url = f"/catchup/cases/{case_id}/steps"
    first = client.post(url, data={"step": "booked", "is_done": "0", "form_key": "a" * 22})
    assert first.status_code == 302
    again = client.post(url, data={"step": "booked", "is_done": "0", "form_key": "b" * 22})
    assert again.status_code == 409
    note = html.unescape(again.get_data(as_text=True)).split('id="step-booked-note"', 1)[1]
    assert "”Bokad i RIS” är inte markerat som klart" in note.split("</p>", 1)[0]
    assert _counts(app, case_id, "booked") == (2, 2)


def _step_note(page: str, step: str) -> str:
    """The opening tag and text of the note beside the step."""
    start = page.rindex("<p", 0, page.index(f'id="step-{step}-note"'))
    return page[start : page.index("</p>", start)]


def test_a_done_step_tapped_again_is_told_as_information_not_as_an_error(
    client: FlaskClient, world
) -> None:
    # Nothing went wrong: the step stands done, as asked; a red warning would send the
    # secretary looking for a fault.
    case_id = world["ids"][0]
    save_accession(client, case_id)
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "1"}
    )
    note = _step_note(html.unescape(response.get_data(as_text=True)), "booked")
    assert "”Bokad i RIS” är redan klar" in note
    assert 'class="flash flash-info' in note and 'role="note"' in note
    assert "error" not in note and 'role="alert"' not in note and "i-warning" not in note


def test_an_undo_of_a_step_not_done_is_told_as_information_not_as_an_error(
    client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "exam_completed", "is_done": "0"}
    )
    note = _step_note(html.unescape(response.get_data(as_text=True)), "exam_completed")
    assert "är inte markerat som klart" in note
    assert 'class="flash flash-info' in note and "error" not in note


def test_a_refused_tick_is_still_told_as_an_error(client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "1"}
    )
    note = _step_note(html.unescape(response.get_data(as_text=True)), "booked")
    assert 'class="error"' in note
