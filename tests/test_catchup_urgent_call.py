"""A call to the referrer about an urgent finding is keyed into RIS with the report: the
catch-up page shows it, and one logged after the report was keyed sends the case back."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.catchup.shown import STALE_PAGE, shown_token
from webapp.extensions import db
from webapp.models import Case, CatchupTick

from .catchup_support import book, close_incident, fax_to_referrer, incident_ended, tick_all
from .factories import case_code, incident_of, report_data
from .routines_support import make_case

CALL = {
    "called_person": "Dr Åberg",
    "phone_number": "035-123 45 67",
    "called_at": "2026-01-15T11:20",
    "note": "Pneumothorax höger",
}
CALL_LOGGED_AFTER_KEYING = (
    "Samtalet till remittenten om det akuta fyndet loggades efter att utlåtandet lagts in i RIS: "
    "lägg in samtalet i RIS."
)


def _urgent_case(client: FlaskClient, auth: Any) -> int:
    """A case whose definitive report has an urgent finding; nobody logged in."""
    case_id = make_case(client, auth)
    auth.login("radiologist")
    data = report_data("definitive", "u" * 20)
    data["is_urgent"] = "y"
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    auth.logout()
    return case_id


def _call(client: FlaskClient, auth: Any, case_id: int) -> None:
    auth.logout()
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}/call", data=CALL)
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()


def _keyed_and_checked(client: FlaskClient, auth: Any, case_id: int) -> None:
    """Every step keyed by one secretary, the check by another; nobody logged in after."""
    auth.login("secretary")
    fax_to_referrer(client, case_id)
    tick_all(client, case_id)
    auth.logout()
    auth.login("secretary", username="sek2")
    assert client.post(f"/catchup/cases/{case_id}/verify").status_code == 302
    auth.logout()


def _status(app: Flask, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).status


def test_the_catchup_page_shows_the_call_to_key_with_the_report(
    client: FlaskClient, auth: Any
) -> None:
    case_id = _urgent_case(client, auth)
    _call(client, auth, case_id)
    auth.login("secretary")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "Ringt om akut fynd" in page
    assert "2026-01-15 11:20: Dr Åberg (035-123 45 67) av" in page
    assert "Pneumothorax höger" in page


def test_a_call_logged_after_the_report_was_keyed_sends_the_case_back(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = _urgent_case(client, auth)
    _keyed_and_checked(client, auth, case_id)
    assert _status(app, case_id) == "closed"
    _call(client, auth, case_id)
    assert _status(app, case_id) == "report_definitive"
    auth.login("secretary")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert CALL_LOGGED_AFTER_KEYING in page
    incident_id = incident_of(app, case_id)
    assert "1 ärende är inte avstämt" in close_incident(client, auth, incident_id)
    assert not incident_ended(app, incident_id)


def test_a_report_ticked_from_a_page_opened_before_the_call_is_refused(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = _urgent_case(client, auth)
    # Booked first: a report is keyed onto the exam's order in RIS.
    auth.login("secretary")
    book(client, case_id)
    with app.app_context():
        shown = shown_token(db.session, case_id)
    _call(client, auth, case_id)
    auth.login("secretary")
    response = client.post(
        f"/catchup/cases/{case_id}/steps",
        data={"step": "report_keyed", "is_done": "1", "shown": shown},
    )
    assert response.status_code == 409
    assert STALE_PAGE in response.get_data(as_text=True)
    with app.app_context():
        keyed = select(CatchupTick.id).where(CatchupTick.step == "report_keyed")
        assert db.session.scalar(keyed) is None


def test_a_call_logged_after_the_end_reopens_nothing(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = _urgent_case(client, auth)
    _call(client, auth, case_id)
    _keyed_and_checked(client, auth, case_id)
    incident_id = incident_of(app, case_id)
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id), case_code(app, case_id)
    _call(client, auth, case_id)
    assert _status(app, case_id) == "closed"
