"""Scanning a red-tray cover printed before its case moved to another incident: the cover prints
no incident, so a move between two real outages leaves it as it is; a move out of a drill takes
its ÖVNING mark away, which the scan must still warn of."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from .factories import (
    declare_incident,
    identity_data,
    referral_data,
    unidentified_referral_data,
)
from .printforms.conftest import STANDARD_FAX, decoded_payloads
from .test_cases_move import drill_case_beside_outage, move_form

OUT_OF_DATE = "Papperet är inaktuellt"
EARLIER_IDENTITY = "Papperet visar en tidigare identitet"


def _cover_payload(client: FlaskClient, case_id: int) -> str:
    pdf = client.get(f"/print/cases/{case_id}/cover.pdf").get_data()
    return decoded_payloads(pdf, STANDARD_FAX)[0][0]


def _move(client: FlaskClient, case_id: int, target: int) -> None:
    data = move_form(client, case_id, target, "Fel driftstopp")
    response = client.post(f"/cases/{case_id}/move", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def _scan(client: FlaskClient, auth: Any, payload: str) -> str:
    auth.logout()
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": payload}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_cover_printed_before_a_move_between_two_real_outages_is_not_out_of_date(
    client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    first = declare_incident(client, "om_ris")
    declare_incident(client, "pacs")
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    payload = _cover_payload(client, case_id)
    _move(client, case_id, first)
    assert OUT_OF_DATE not in _scan(client, auth, payload)


def test_a_cover_printed_in_a_drill_is_out_of_date_after_the_move_to_the_real_outage(
    client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id = drill_case_beside_outage(client, auth)
    payload = _cover_payload(client, case_id)
    _move(client, case_id, real)
    assert OUT_OF_DATE in _scan(client, auth, payload)


def test_a_cover_printed_before_a_move_and_an_identity_correction_names_the_earlier_identity(
    client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    first = declare_incident(client, "om_ris")
    declare_incident(client, "pacs")
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    payload = _cover_payload(client, case_id)
    _move(client, case_id, first)
    edit = client.post(f"/cases/{case_id}/identity", data=identity_data())
    assert edit.status_code == 302, edit.get_data(as_text=True)[:2000]
    assert EARLIER_IDENTITY in _scan(client, auth, payload)
