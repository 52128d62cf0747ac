"""A tick sent from a catch-up page opened before the case changed is refused, not recorded."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, CatchupTick

from .catchup_support import book, save_accession, tick_all
from .catchup_world_support import NEW_PATIENT, _done_steps, _shown
from .catchup_world_support import world as world  # the fixture
from .factories import hidden_value, report_data

STALE = "Ärendet har ändrats sedan sidan öppnades"


def _ticks(app: Flask, case_id: int) -> list[tuple[str, bool]]:
    with app.app_context():
        rows = db.session.execute(
            select(CatchupTick.step, CatchupTick.is_done).where(CatchupTick.case_id == case_id)
        )
        return [(r.step, r.is_done) for r in rows]


def test_report_keyed_from_a_page_older_than_the_definitive_report_is_refused(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][1]  # preliminary report
    book(client, case_id)
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    shown = hidden_value(page, "shown")
    auth.logout()
    auth.login("radiologist")
    changed = report_data("definitive", "z" * 20) | _shown(app, case_id, "report")
    changed["sections-1-text"] = "Subduralt hematom höger, 8 mm."
    assert client.post(f"/reporting/{case_id}", data=changed).status_code == 302
    auth.logout()
    auth.login("secretary")
    # The secretary keyed the preliminary text the page still showed.
    response = client.post(
        f"/catchup/cases/{case_id}/steps",
        data={"step": "report_keyed", "is_done": "1", "confirm_preliminary": "y", "shown": shown},
        follow_redirects=True,
    )
    assert STALE in response.get_data(as_text=True)
    assert _ticks(app, case_id) == [("booked", True)]
    assert "Subduralt hematom" in response.get_data(as_text=True)


def test_booking_from_a_page_older_than_an_identity_correction_is_refused(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    save_accession(client, case_id)
    shown = hidden_value(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), "shown")
    auth.logout()
    auth.login("radiographer")
    assert client.post(f"/cases/{case_id}/identity", data=NEW_PATIENT).status_code == 302
    auth.logout()
    auth.login("secretary")
    data = {"step": "booked", "is_done": "1", "shown": shown}
    response = client.post(f"/catchup/cases/{case_id}/steps", data=data, follow_redirects=True)
    assert STALE in response.get_data(as_text=True)
    assert _done_steps(client, case_id) == set()


def test_two_secretaries_ticking_steps_of_one_case_do_not_conflict(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    shown = hidden_value(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), "shown")
    book(client, case_id)
    auth.logout()
    auth.login("secretary", username="sek2")
    # A tick, a RIS number or an untick by a colleague leaves what is keyed unchanged.
    client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": "ACC9"})
    data = {"step": "exam_completed", "is_done": "1", "shown": shown}
    client.post(f"/catchup/cases/{case_id}/steps", data=data)
    assert _done_steps(client, case_id) == {"booked", "exam_completed"}


def test_ris_numbers_saved_over_a_colleagues_from_an_older_page_are_refused(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    mine = {
        "ris_accession": "ACC2",
        "ris_exam_number": "U2",
        "accession_shown": hidden_value(page, "accession_shown"),
        "exam_number_shown": hidden_value(page, "exam_number_shown"),
    }
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": "ACC1"})
    auth.logout()
    auth.login("secretary")
    # Both booked the exam in RIS: the second save must not hide the first booking.
    response = client.post(f"/catchup/cases/{case_id}/ris", data=mine)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "ACC1" in text and "bokad två gånger" in text
    assert 'value="ACC2"' in text  # what was typed is kept
    with app.app_context():
        assert db.session.get(Case, case_id).catchup.ris_accession == "ACC1"
    # Saved again from the refused form, on purpose: it replaces the colleague's.
    again = mine | {
        "accession_shown": hidden_value(text, "accession_shown"),
        "exam_number_shown": hidden_value(text, "exam_number_shown"),
    }
    assert client.post(f"/catchup/cases/{case_id}/ris", data=again).status_code == 302
    with app.app_context():
        assert db.session.get(Case, case_id).catchup.ris_accession == "ACC2"


def test_a_case_already_reconciled_is_not_waived_from_an_older_page(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{case_id}/verify")
    # A page opened before it was keyed still offers the waiver.
    response = client.post(
        f"/catchup/cases/{case_id}/waive", data={"reason": "Inlagd direkt i RIS"}
    )
    assert "redan avstämt" in response.get_data(as_text=True)
    with app.app_context():
        record = db.session.get(Case, case_id).catchup
        assert record.waived_at is None and record.verified_at is not None


def test_a_check_against_the_paper_from_a_page_older_than_the_keyed_text_is_refused(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # The second secretary opened the case, then an addendum was signed and keyed in by the
    # first: confirming from the old page would vouch for text the checker never saw.
    case_id = world["ids"][0]
    tick_all(client, case_id)
    auth.logout()
    auth.login("secretary", username="sek2")
    shown = hidden_value(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), "shown")
    auth.logout()
    auth.login("radiologist")
    addendum = {"text": "Fraktur i os temporale."}
    assert client.post(f"/reporting/{case_id}/addendum", data=addendum).status_code == 302
    auth.logout()
    auth.login("secretary")
    for step in ("report_keyed", "correction_list"):
        client.post(f"/catchup/cases/{case_id}/steps", data={"step": step, "is_done": "1"})
    auth.logout()
    auth.login("secretary", username="sek2")
    response = client.post(
        f"/catchup/cases/{case_id}/verify", data={"shown": shown}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert STALE.split(" (")[0] in page and "Fraktur i os temporale." in page
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == "keyed_in_ris" and case.catchup.verified_at is None
    # From the page as it is now, the check is taken.
    shown = hidden_value(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), "shown")
    client.post(f"/catchup/cases/{case_id}/verify", data={"shown": shown})
    with app.app_context():
        assert db.session.get(Case, case_id).status == "closed"
