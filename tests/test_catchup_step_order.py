"""Catch-up steps follow the order RIS imposes: the exam is completed, its images matched and
its report keyed on the booking (found by its accession), and a report goes onto the
radiologist's correction list once it is keyed into RIS. Undoing a step that later ticked steps
build on takes a second tap, and undoes them with it."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import CatchupTick, User

from .catchup_support import save_accession, tick_all
from .catchup_world_support import STEPS, _done_steps, _status
from .catchup_world_support import world as world  # the fixture

NOT_BOOKED = "Undersökningen är inte bokad i RIS"
NO_ACCESSION = "Bokningen saknar accessionsnummer"
NOT_KEYED = "Utlåtandet är inte inlagt i RIS"
UNDO_LATER = "Senare steg bygger på det här"


def _tick(client: FlaskClient, case_id: int, step: str, **extra: str):
    return client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": step, "is_done": "1", **extra}
    )


def _untick(client: FlaskClient, case_id: int, step: str, **extra: str):
    return client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": step, "is_done": "0", **extra}
    )


def _note(page: str, step: str) -> str:
    return page.split(f'id="step-{step}-note"', 1)[1].split("</p>", 1)[0]


def _button(page: str, step: str) -> str:
    return page.split(f'data-step="{step}"', 1)[1].split(">", 1)[0]


def _tick_count(app: Flask, case_id: int) -> int:
    with app.app_context():
        return len(
            db.session.scalars(select(CatchupTick).where(CatchupTick.case_id == case_id)).all()
        )


@pytest.mark.parametrize("step", ["exam_completed", "images_matched", "report_keyed"])
def test_a_step_on_the_ris_exam_before_it_is_booked_is_refused_beside_it(
    app: Flask, client: FlaskClient, world, step: str
) -> None:
    case_id = world["ids"][0]
    save_accession(client, case_id)
    # Booked with the accession; undone, the number stays.
    assert _untick(client, case_id, "booked").status_code == 302
    before = _tick_count(app, case_id)
    response = _tick(client, case_id, step)
    assert response.status_code == 409
    assert NOT_BOOKED in _note(response.get_data(as_text=True), step)
    assert _tick_count(app, case_id) == before


@pytest.mark.parametrize("step", ["exam_completed", "images_matched", "report_keyed"])
def test_the_page_offers_a_step_on_the_unbooked_exam_disabled_with_why(
    client: FlaskClient, world, step: str
) -> None:
    page = client.get(f"/catchup/cases/{world['ids'][0]}").get_data(as_text=True)
    assert " disabled" in _button(page, step)
    assert NOT_BOOKED in _note(page, step)


def test_the_correction_list_before_the_report_is_keyed_is_refused_beside_it(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    save_accession(client, case_id)
    _tick(client, case_id, "booked")
    response = _tick(client, case_id, "correction_list")
    assert response.status_code == 409
    assert NOT_KEYED in _note(response.get_data(as_text=True), "correction_list")
    assert _done_steps(client, case_id) == {"booked"}
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert " disabled" in _button(page, "correction_list")
    assert NOT_KEYED in _note(page, "correction_list")


def test_a_booking_from_before_the_accession_rule_lets_no_report_be_keyed_until_it_has_one(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "test-secretary"))
        db.session.add(CatchupTick(case_id=case_id, step="booked", is_done=True, user_id=user_id))
        db.session.commit()
    response = _tick(client, case_id, "report_keyed")
    assert response.status_code == 409
    assert NO_ACCESSION in _note(response.get_data(as_text=True), "report_keyed")
    save_accession(client, case_id)
    assert _tick(client, case_id, "report_keyed").status_code == 302
    assert _done_steps(client, case_id) == {"booked", "report_keyed"}


def test_steps_ticked_in_ris_order_key_the_case(app: Flask, client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    assert _done_steps(client, case_id) == set(STEPS)
    assert _status(app, case_id) == "keyed_in_ris"


def test_undoing_the_booking_under_later_steps_is_refused_unconfirmed(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    response = _untick(client, case_id, "booked")
    assert response.status_code == 409
    assert UNDO_LATER in _note(response.get_data(as_text=True), "booked")
    assert _done_steps(client, case_id) == set(STEPS)
    assert _status(app, case_id) == "keyed_in_ris"


def test_undoing_the_booking_confirmed_undoes_the_steps_built_on_it(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    assert _untick(client, case_id, "booked", confirm_uncheck="1").status_code == 302
    assert _done_steps(client, case_id) == set()
    assert _status(app, case_id) == "report_definitive"


def test_undoing_the_keyed_report_confirmed_undoes_only_the_correction_list(
    client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    assert _untick(client, case_id, "report_keyed").status_code == 409
    assert _untick(client, case_id, "report_keyed", confirm_uncheck="1").status_code == 302
    assert _done_steps(client, case_id) == {"booked", "exam_completed", "images_matched"}


def test_undoing_a_step_nothing_builds_on_needs_no_confirmation(client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    for step in ("correction_list", "images_matched", "exam_completed"):
        assert _untick(client, case_id, step).status_code == 302
    assert _done_steps(client, case_id) == {"booked", "report_keyed"}


def test_the_refusal_names_the_steps_undone_with_the_booking_and_offers_to_confirm(
    client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    page = _untick(client, case_id, "booked").get_data(as_text=True)
    note = page.split('id="step-booked-note"', 1)[1].split("</form>", 1)[0]
    assert "Ångras också:" in note
    for label in ("Undersökningen klarmarkerad i RIS", "Lagd på radiologens korr-lista"):
        assert label in note
    assert 'name="confirm_uncheck" value="1"' in note
    assert 'name="is_done" value="0"' in note
