"""Saving a new RIS accession marks 'Bokad i RIS' done in the same transaction: RIS gives an
accession only to a booked exam. Every rule of the tick holds; a refused tick leaves the number
saved and says why beside the field."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.catchup.booked_by_number import BOOKED_SAME_NUMBER
from webapp.catchup.case_views import NUMBER_ON_WAIVER
from webapp.catchup.reopening import reopen_after_change
from webapp.catchup.ris_numbers import save_ris_ids
from webapp.catchup.shown import STALE_PAGE
from webapp.extensions import db
from webapp.models import AuditEvent, Case, CatchupRecord, CatchupTick, ImageRelease, User

from .catchup_support import save_accession, tick_all, waive
from .catchup_world_support import _done_steps, _status
from .catchup_world_support import world as world  # the fixture
from .test_release_note_in_ris import _release, _released


def _user(username: str = "test-secretary") -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def _booked_ticks(app: Flask, case_id: int) -> list[CatchupTick]:
    with app.app_context():
        ticks = db.session.scalars(
            select(CatchupTick)
            .where(CatchupTick.case_id == case_id, CatchupTick.step == "booked")
            .order_by(CatchupTick.id)
        ).all()
        db.session.expunge_all()
        return list(ticks)


def test_a_saved_accession_marks_the_case_booked_with_the_same_user_and_time(
    app: Flask, world
) -> None:
    case_id = world["ids"][0]
    with app.app_context():
        save_ris_ids(
            case_id=case_id,
            user=_user(),
            accession="EXS10000001",
            exam_number="U1",
            allow_duplicate=False,
        )
        record = db.session.scalar(select(CatchupRecord).where(CatchupRecord.case_id == case_id))
        tick = db.session.scalar(select(CatchupTick).where(CatchupTick.case_id == case_id))
        assert tick is not None and record is not None
        assert (tick.step, tick.is_done, tick.user.username) == ("booked", True, "test-secretary")
        assert tick.at == record.updated_at
        details = db.session.scalars(
            select(AuditEvent.detail)
            .where(AuditEvent.case_id == case_id, AuditEvent.action == "catchup_step")
            .order_by(AuditEvent.id)
        ).all()
        assert details == ["Bokad i RIS: klar (med accessionsnumret)"]


def test_the_page_shows_booked_done_after_the_save(client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    response = client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": "EXS1"})
    assert response.status_code == 302
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "RIS-numren är sparade och ”Bokad i RIS” är markerat som klart." in page
    assert _done_steps(client, case_id) == {"booked"}
    # The next step to do takes the focus, not the booking the save already marked.
    assert 'id="tick-exam_completed" aria-describedby="flashes" autofocus' in page


def test_a_changed_accession_on_a_booked_case_adds_no_second_tick(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    save_accession(client, case_id, "EXS1")
    save_accession(client, case_id, "EXS2")
    assert [t.is_done for t in _booked_ticks(app, case_id)] == [True]


def test_undoing_booked_keeps_the_number_and_the_same_number_saved_again_does_not_rebook(
    app: Flask, client: FlaskClient, world
) -> None:
    # An unchanged accession proves no new booking: 'booked' undone because the referral or
    # patient changed (reopening) is ticked again by the secretary once RIS is put right.
    case_id = world["ids"][0]
    save_accession(client, case_id, "EXS1")
    client.post(f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "0"})
    with app.app_context():
        assert db.session.get(Case, case_id).catchup.ris_accession == "EXS1"
    response = client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": "EXS1"})
    assert response.status_code == 302
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert [t.is_done for t in _booked_ticks(app, case_id)] == [True, False]
    assert BOOKED_SAME_NUMBER in page.split('id="ris-booked-note">', 1)[1]


def test_a_waived_case_keeps_the_number_and_the_page_says_why_it_is_not_booked(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    waive(client, auth, case_id)
    response = client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": "EXS1"})
    assert response.status_code == 302
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    # Why it is not booked, and what to do if it was keyed after all (lift the waiver).
    note = page.split('id="ris-on-waiver">', 1)[1].split("</p>", 1)[0]
    assert NUMBER_ON_WAIVER in note
    assert 'id="ris-booked-note"' not in page
    assert "RIS-numren är sparade." in page
    assert _booked_ticks(app, case_id) == []
    with app.app_context():
        assert db.session.get(Case, case_id).catchup.ris_accession == "EXS1"


def test_a_save_from_a_page_older_than_the_case_keeps_the_number_but_not_the_tick(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    response = client.post(
        f"/catchup/cases/{case_id}/ris", data={"ris_accession": "EXS1", "shown": "1:1"}
    )
    assert response.status_code == 302
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert STALE_PAGE in page.split('id="ris-booked-note">', 1)[1]
    assert _booked_ticks(app, case_id) == []
    with app.app_context():
        assert db.session.get(Case, case_id).catchup.ris_accession == "EXS1"


def test_the_page_sends_what_it_showed_with_the_numbers(client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    form = page.split(f'action="/catchup/cases/{case_id}/ris"', 1)[1].split("</form>", 1)[0]
    shown = page.split('name="shown" value="', 1)[1].split('"', 1)[0]
    assert f'name="shown" type="hidden" value="{shown}"' in form


def test_a_new_booking_after_a_referral_change_keys_the_case_again(
    app: Flask, client: FlaskClient, world
) -> None:
    # The referral changed after the keying: only 'booked' was unticked; a new booking in RIS,
    # its accession saved, has every step done again.
    case_id = world["ids"][0]
    tick_all(client, case_id)
    with app.app_context():
        reopen_after_change(
            db.session, case_id, change="referral", user=_user(), note="Remissen ändrad"
        )
        db.session.commit()
    assert _status(app, case_id) != "keyed_in_ris"
    save_accession(client, case_id, "EXS99")
    assert _status(app, case_id) == "keyed_in_ris"


def test_a_release_made_before_the_number_stays_due_and_one_after_is_not(
    app: Flask, client: FlaskClient, auth
) -> None:
    _incident_id, case_id, first = _released(client, auth, "integration")
    auth.logout()
    auth.login("secretary")
    save_accession(client, case_id)
    assert [t.is_done for t in _booked_ticks(app, case_id)] == [True]
    later = _release(client, auth, case_id)
    with app.app_context():
        assert db.session.get(ImageRelease, first).ris_note_due
        assert not db.session.get(ImageRelease, later).ris_note_due
