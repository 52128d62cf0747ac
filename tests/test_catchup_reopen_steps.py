"""A change after a case was keyed into RIS reopens the steps it made stale (a new signature, a
fax, an addendum, an identity correction, an exam, a priority); a change before, nothing."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.incidents.closing import outstanding_count

from .catchup_support import tick_all
from .catchup_world_support import (
    NEW_PATIENT,
    STEPS,
    _close_case,
    _done_steps,
    _record,
    _reopens,
    _shown,
    _status,
)
from .catchup_world_support import world as world  # the fixture
from .factories import case_code, exam_data, referral_data, report_data
from .routines_support import make_case


def test_definitive_signature_after_a_keyed_preliminary_reopens_the_report_steps(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][1]  # preliminary report
    _close_case(client, auth, app, case_id, confirm_preliminary="y")
    auth.logout()
    auth.login("radiologist")
    changed = report_data("definitive", "z" * 20) | _shown(app, case_id, "report")
    changed["sections-1-text"] = "Subduralt hematom höger, 8 mm."
    assert client.post(f"/reporting/{case_id}", data=changed).status_code == 302

    assert _status(app, case_id) == "report_definitive"
    record = _record(app, case_id)
    assert record.keyed_at is None and record.verified_at is None and record.reconciled_at is None
    auth.logout()
    auth.login("secretary")
    assert _done_steps(client, case_id) == {"booked", "exam_completed", "images_matched"}
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "signerades definitivt efter att det lagts in i RIS" in page
    assert "Lägg in som preliminärt" not in page  # the definitive one is keyed now
    with app.app_context():
        assert outstanding_count(world["incident_id"]) == 2
    assert len(_reopens(app)) == 1


def test_definitive_fax_after_a_keyed_faxed_preliminary_reopens_the_report_steps(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    fax = {
        "case_code": code,
        "confirmed_code": code,
        "confirm_unfaxed": "y",
        "reviewer_name": "Dr Granskare",
        "findings": "Ingen blödning.",
        "state": "preliminary",
        "conclusion": "Normalt.",
        "received_at": "2026-01-15T23:10",
    }
    auth.login("secretary")
    assert client.post("/routines/reviewer/receive", data=fax).status_code == 302
    _close_case(client, auth, app, case_id, confirm_preliminary="y")
    definitive = fax | {"state": "definitive", "received_at": "2026-01-16T07:10"}
    assert client.post("/routines/reviewer/receive", data=definitive).status_code == 302

    assert _status(app, case_id) == "report_definitive"
    record = _record(app, case_id)
    assert record.keyed_at is None and record.verified_at is None and record.reconciled_at is None
    assert _done_steps(client, case_id) == {"booked", "exam_completed", "images_matched"}
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "signerades definitivt efter att det lagts in i RIS" in page
    assert len(_reopens(app)) == 1


def test_addendum_on_a_closed_case_reopens_it(app: Flask, client: FlaskClient, auth, world) -> None:
    case_id = world["ids"][0]
    _close_case(client, auth, app, case_id)
    auth.logout()
    auth.login("radiologist")
    addendum = {"text": "Fraktur i os temporale."}
    assert client.post(f"/reporting/{case_id}/addendum", data=addendum).status_code == 302
    assert _status(app, case_id) == "report_definitive"
    auth.logout()
    auth.login("secretary")
    assert _done_steps(client, case_id) == {"booked", "exam_completed", "images_matched"}
    assert "lägg in tillägget" in client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)


def test_identity_correction_after_keying_reopens_every_step(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    _close_case(client, auth, app, case_id)
    auth.logout()
    auth.login("radiographer")
    assert client.post(f"/cases/{case_id}/identity", data=NEW_PATIENT).status_code == 302
    assert _status(app, case_id) == "report_definitive"
    auth.logout()
    auth.login("secretary")
    assert _done_steps(client, case_id) == set()
    assert "rätta patienten i RIS" in client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "still_done", "status", "reopened"),
    [
        # A changed dose: RIS holds the old one, so the exam steps are redone.
        (
            {"dlp_mgycm": "999.0"},
            {"booked", "report_keyed", "correction_list"},
            "report_definitive",
            1,
        ),
        # The same exam saved again changes nothing in RIS.
        ({}, set(STEPS), "keyed_in_ris", 0),
    ],
)
def test_an_exam_saved_after_it_was_completed_in_ris(
    app: Flask,
    client: FlaskClient,
    auth,
    world,
    change: dict[str, str],
    still_done: set[str],
    status: str,
    reopened: int,
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    auth.logout()
    auth.login("radiographer")
    saved = exam_data(key_suffix="c", **change) | _shown(app, case_id, "exam")
    assert client.post(f"/cases/{case_id}/exam", data=saved).status_code == 302
    auth.logout()
    auth.login("secretary")
    assert _done_steps(client, case_id) == still_done
    assert _status(app, case_id) == status
    assert len(_reopens(app)) == reopened


def test_a_change_before_the_catch_up_reopens_nothing(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    auth.logout()
    auth.login("radiologist")
    addendum = {"text": "Tillägg innan något lagts in."}
    assert client.post(f"/reporting/{world['ids'][0]}/addendum", data=addendum).status_code == 302
    assert _reopens(app) == []
    assert _status(app, world["ids"][0]) == "report_definitive"


def test_priority_changed_by_the_radiologist_after_booking_reopens_the_booking(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # The same change through the referral form reopens the booking: RIS has the old priority.
    case_id = world["ids"][0]
    _close_case(client, auth, app, case_id)
    auth.logout()
    auth.login("radiologist")
    changed = {"priority": "rutin", "reason": "Stabil, kan vänta"}
    assert client.post(f"/reporting/{case_id}/priority", data=changed).status_code == 302
    assert _status(app, case_id) == "report_definitive"
    auth.logout()
    auth.login("secretary")
    assert _done_steps(client, case_id) == set(STEPS) - {"booked"}
    assert len(_reopens(app)) == 1


def test_an_exam_documented_before_the_catch_up_reopens_nothing(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(key_suffix="n")).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    assert client.post(location + "/exam", data=exam_data(key_suffix="n")).status_code == 302
    assert _status(app, case_id) == "exam_done"
    assert _reopens(app) == []
