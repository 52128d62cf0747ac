"""A report saved unsigned on a waived case holds the incident open.

The waiver stands for a case that is not keyed into RIS from here. A report written on it but
never signed is no one's report yet: signed, it lifts the waiver (see reopening.py); left
unsigned when the incident ends, it can never be signed here and never reaches RIS.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import close_incident, incident_ended, new_case, waive
from .catchup_world_support import _record, _status
from .factories import exam_data, report_data

HOLDS = "Osignerat utlåtande på ett undantaget ärende"


@pytest.fixture
def waived(app: Flask, client: FlaskClient, auth) -> tuple[int, int]:
    """An incident with one examined case, waived before any report; (incident, case) ids,
    nobody logged in."""
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    case_id = new_case(client, auth)
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/exam", data=exam_data())
    auth.logout()
    waive(client, auth, case_id, "Inlagd direkt i RIS")
    auth.logout()
    return int(location.rsplit("/", 1)[-1]), case_id


def _save_unsigned(client: FlaskClient, auth, case_id: int, **texts: str) -> None:
    auth.logout()
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}", data=report_data("save", **texts))
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()


def test_an_unsigned_report_saved_on_a_waived_case_keeps_the_incident_open(
    app: Flask, client: FlaskClient, auth, waived: tuple[int, int]
) -> None:
    incident_id, case_id = waived
    _save_unsigned(client, auth, case_id)
    # The waiver stands: nothing signed is to be keyed.
    assert _status(app, case_id) == "closed" and _record(app, case_id).waived_at is not None
    page = close_incident(client, auth, incident_id)
    assert not incident_ended(app, incident_id)
    assert HOLDS in page


def test_the_catchup_page_of_a_waived_case_says_its_unsigned_report_holds_the_close(
    client: FlaskClient, auth, waived: tuple[int, int]
) -> None:
    _, case_id = waived
    _save_unsigned(client, auth, case_id)
    auth.login("secretary")
    assert HOLDS in client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)


def test_an_unsigned_report_on_a_waived_case_is_listed_as_left_to_do(
    client: FlaskClient, auth, waived: tuple[int, int]
) -> None:
    incident_id, case_id = waived
    _save_unsigned(client, auth, case_id)
    auth.login("secretary")
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    left = batch.split("Kvar att göra", 1)[1].split("Exportera", 1)[0]
    assert HOLDS in left and f"/catchup/cases/{case_id}" in left


def test_an_unsigned_report_with_no_text_does_not_hold_a_waived_case(
    app: Flask, client: FlaskClient, auth, waived: tuple[int, int]
) -> None:
    # Emptied by the radiologist (or saved before anything was written): nothing to sign, and
    # an empty report cannot be signed, so it must not hold the incident for ever.
    incident_id, case_id = waived
    _save_unsigned(client, auth, case_id, findings="", conclusion="")
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)


def test_a_waived_case_whose_report_is_signed_holds_nothing_once_waived_again(
    app: Flask, client: FlaskClient, auth, waived: tuple[int, int]
) -> None:
    incident_id, case_id = waived
    _save_unsigned(client, auth, case_id)
    auth.login("radiologist")
    signed = report_data("definitive", "s" * 20, version="1")
    assert client.post(f"/reporting/{case_id}", data=signed).status_code == 302
    # Signed, the waiver is lifted: the report is to be keyed, or the case waived again.
    assert _record(app, case_id).waived_at is None
    waive(client, auth, case_id, "Utlåtandet inlagt direkt i RIS")
    close_incident(client, auth, incident_id, confirm_unfaxed="y")
    assert incident_ended(app, incident_id)
