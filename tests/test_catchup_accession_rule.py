"""'Booked' needs the RIS accession; the four-eyes check refuses cancelled and waived cases."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.catchup.ris_numbers import save_ris_ids
from webapp.catchup.services import CatchupError
from webapp.catchup.ticking import ACCESSION_MISSING, AccessionMissing, tick_step
from webapp.catchup.verifying import verify_case
from webapp.extensions import db
from webapp.i18n_en import EN
from webapp.models import Case, CatchupRecord, CatchupTick, User

from .catchup_support import new_case, record_accession, save_accession, tick_all
from .catchup_world_support import world as world  # the fixture

CANCELLED = "Ärendet är makulerat."
WAIVED = "Ärendet är undantaget från efterregistreringen."
CHECK_BUTTON = "Jag har kontrollerat RIS mot papperet"


def _user(username: str = "test-secretary") -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def _tick(case_id: int, step: str = "booked", is_done: bool = True) -> None:
    tick_step(case_id=case_id, user=_user(), step=step, is_done=is_done, four_eyes=True)


def _ticks(app: Flask, case_id: int) -> list[tuple[str, bool]]:
    with app.app_context():
        rows = db.session.execute(
            select(CatchupTick.step, CatchupTick.is_done)
            .where(CatchupTick.case_id == case_id)
            .order_by(CatchupTick.id)
        )
        return [(r.step, r.is_done) for r in rows]


def _verified_at(app: Flask, case_id: int) -> object:
    with app.app_context():
        return db.session.get(Case, case_id).catchup.verified_at


# --- 'booked' needs the accession -------------------------------------------------------------


def test_booked_is_not_done_without_a_ris_accession(app: Flask, world) -> None:
    case_id = world["ids"][0]
    with app.app_context(), pytest.raises(AccessionMissing, match=ACCESSION_MISSING):
        _tick(case_id)
    assert _ticks(app, case_id) == []


def test_booked_is_done_with_the_accession_saved(app: Flask, world) -> None:
    case_id = world["ids"][0]
    with app.app_context():
        record_accession(case_id, _user())
    assert _ticks(app, case_id) == [("booked", True)]


def test_the_other_steps_need_the_booking_not_an_accession_of_their_own(app: Flask, world) -> None:
    case_id = world["ids"][0]
    with app.app_context():
        record_accession(case_id, _user())
        _tick(case_id, "exam_completed")
    assert _ticks(app, case_id) == [("booked", True), ("exam_completed", True)]


def test_a_booked_step_without_an_accession_can_still_be_undone(app: Flask, world) -> None:
    # Ticked before the rule: undoing it must never be what the rule stops.
    case_id = world["ids"][0]
    with app.app_context():
        user = _user()
        db.session.add(CatchupRecord(case_id=case_id))
        db.session.add(CatchupTick(case_id=case_id, step="booked", is_done=True, user_id=user.id))
        db.session.commit()
        _tick(case_id, is_done=False)
    assert _ticks(app, case_id) == [("booked", True), ("booked", False)]


def test_no_empty_accession_is_saved_over_a_booking(app: Flask, world) -> None:
    case_id = world["ids"][0]
    with app.app_context():
        # Saved, the accession marks the case booked.
        record_accession(case_id, _user(), "EXS10000001")
        with pytest.raises(CatchupError, match=r"Ange accessionsnumret från RIS\."):
            save_ris_ids(
                case_id=case_id,
                user=_user(),
                accession="  ",
                exam_number="U1",
                allow_duplicate=False,
            )
        assert db.session.get(Case, case_id).catchup.ris_accession == "EXS10000001"


def test_booked_refused_on_the_page_says_so_at_the_step_and_the_accession_field(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "1"}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    step = page[page.index('data-step="booked"') : page.index('data-step="exam_completed"')]
    assert 'id="step-booked-note"' in step and ACCESSION_MISSING in step
    field = page[page.index('data-field="ris_accession"') : page.index('name="ris_exam_number"')]
    assert 'id="ris_accession-error"' in field and ACCESSION_MISSING in field
    assert 'name="allow_duplicate"' not in page  # no duplicate to confirm
    assert _ticks(app, case_id) == []


def test_booked_refused_reads_in_english(client: FlaskClient, world) -> None:
    client.post("/language", data={"lang": "en", "next": "/"})
    response = client.post(
        f"/catchup/cases/{world['ids'][0]}/steps", data={"step": "booked", "is_done": "1"}
    )
    page = response.get_data(as_text=True)
    assert EN[ACCESSION_MISSING] in page and ACCESSION_MISSING not in page


def test_the_booked_step_says_the_accession_comes_first_until_it_is_saved(
    client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert 'aria-describedby="step-booked-note"' in page
    assert f'<a class="row-link" href="#ris_accession">{ACCESSION_MISSING}</a>' in page
    save_accession(client, case_id)
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert ACCESSION_MISSING not in page
    # Booked with it; undone, the step can be ticked again by hand.
    url = f"/catchup/cases/{case_id}/steps"
    assert client.post(url, data={"step": "booked", "is_done": "0"}).status_code == 302
    assert client.post(url, data={"step": "booked", "is_done": "1"}).status_code == 302


# --- the four-eyes check refuses cancelled and waived cases -----------------------------------


def test_the_check_refuses_a_cancelled_case(app: Flask, client: FlaskClient, auth, world) -> None:
    case_id = new_case(client, auth, key_suffix="c", patient_name="Tora Tresson")
    auth.login("radiographer")
    assert client.post(f"/cases/{case_id}/cancel", data={"reason": "Dubblett"}).status_code == 302
    with app.app_context(), pytest.raises(CatchupError, match=CANCELLED):
        verify_case(case_id=case_id, user=_user(), four_eyes=True)


def _keyed_then(app: Flask, client: FlaskClient, auth, world, change: str) -> int:
    """The first case keyed by test-secretary, then waived or (as older data has it) cancelled;
    logged in as the second secretary."""
    case_id = world["ids"][0]
    tick_all(client, case_id)
    if change == "waived":
        client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Inlagd direkt i RIS"})
    else:
        with app.app_context():
            db.session.execute(update(Case).where(Case.id == case_id).values(status="cancelled"))
            db.session.commit()
    with app.app_context():
        record = db.session.get(Case, case_id).catchup
        assert record.keyed_at is not None and record.verified_at is None
    auth.logout()
    auth.login("secretary", username="sek2")
    return case_id


@pytest.mark.parametrize(("change", "message"), [("waived", WAIVED), ("cancelled", CANCELLED)])
def test_the_check_refuses_a_keyed_case_that_is_waived_or_cancelled(
    app: Flask, client: FlaskClient, auth, world, change: str, message: str
) -> None:
    case_id = _keyed_then(app, client, auth, world, change)
    with app.app_context(), pytest.raises(CatchupError, match=message):
        verify_case(case_id=case_id, user=_user("sek2"), four_eyes=True)
    assert _verified_at(app, case_id) is None


@pytest.mark.parametrize(("change", "message"), [("waived", WAIVED), ("cancelled", CANCELLED)])
def test_the_page_offers_no_check_of_a_waived_or_cancelled_case(
    app: Flask, client: FlaskClient, auth, world, change: str, message: str
) -> None:
    case_id = _keyed_then(app, client, auth, world, change)
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert CHECK_BUTTON not in page
    assert f"/catchup/cases/{case_id}/verify" not in page
    checks = page[page.index("Kontroll mot papperet") :]
    assert message in checks
    # A request made by hand is refused with the reason, and nothing is checked.
    response = client.post(f"/catchup/cases/{case_id}/verify", follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert _verified_at(app, case_id) is None


def test_a_waiver_lifted_brings_the_check_back(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = _keyed_then(app, client, auth, world, "waived")
    client.post(f"/catchup/cases/{case_id}/waive/lift")
    assert CHECK_BUTTON in client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    client.post(f"/catchup/cases/{case_id}/verify")
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == "closed" and case.catchup.verified_at is not None
