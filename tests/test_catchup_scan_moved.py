"""Scan station: a sheet printed while its case was in a drill, the case moved since to a real
outage. The paper says ÖVNING, yet the case is a real patient's and must be keyed into RIS."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from .printforms.conftest import STANDARD_FAX, decoded_payloads
from .test_cases_move import drill_case_beside_outage, move_form

MOVED_OUT = "Papperet skrevs ut när ärendet låg i en övning och kan säga ÖVNING"


def _printed_payload(client: FlaskClient, case_id: int) -> str:
    pdf = client.get(f"/print/cases/{case_id}/referral.pdf").get_data()
    return decoded_payloads(pdf, STANDARD_FAX)[0][0]


def _move(client: FlaskClient, case_id: int, target: int) -> None:
    data = move_form(client, case_id, target, "Riktig patient")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302


def _scanned(client: FlaskClient, auth: Any, payload: str) -> str:
    auth.logout()
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": payload}, follow_redirects=True)
    return response.get_data(as_text=True)


def test_a_sheet_printed_in_the_drill_says_the_case_moved_to_a_real_outage(
    client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id = drill_case_beside_outage(client, auth)
    payload = _printed_payload(client, case_id)
    _move(client, case_id, real)
    page = _scanned(client, auth, payload)
    assert MOVED_OUT in page
    assert f"flyttades till driftstopp {real}" in page and "det ska läggas in i RIS." in page
    assert "Papperet hör till en övning" not in page


def test_a_sheet_printed_after_the_move_says_nothing_of_the_drill(
    client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id = drill_case_beside_outage(client, auth)
    _move(client, case_id, real)
    page = _scanned(client, auth, _printed_payload(client, case_id))
    assert MOVED_OUT not in page


def test_a_sheet_printed_in_the_drill_moved_back_into_it_says_not_to_key_it(
    client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = drill_case_beside_outage(client, auth)
    payload = _printed_payload(client, case_id)
    _move(client, case_id, real)
    _move(client, case_id, drill)
    page = _scanned(client, auth, payload)
    assert MOVED_OUT not in page
    assert "Papperet hör till en övning: lägg inte in det i RIS." in page


def test_the_moved_sheets_note_reads_in_english(client: FlaskClient, auth: Any) -> None:
    _drill, real, case_id = drill_case_beside_outage(client, auth)
    payload = _printed_payload(client, case_id)
    _move(client, case_id, real)
    client.post("/language", data={"lang": "en", "next": "/"})
    page = _scanned(client, auth, payload)
    assert "The paper was printed while the case was in a drill and may say ÖVNING" in page
    assert MOVED_OUT not in page
