"""A reconciled case that still holds the close ranks with the outstanding work on the board.

The board shows sixty rows; past them only "Visa alla" reaches the rest. A keyed or waived case
whose report still waits to be faxed or signed sorted after every other case on the board,
and a big outage's board hid it until the close refused to end. It now ranks with the signed
reports still to send, after the patients still to examine and report (the top of the board
stays theirs: tests/test_reporting_dispatch_status.py). A board of one row stands in for the
sixty: sixty referrals cost twenty seconds, and the order is the same.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import waive
from .factories import (
    case_code,
    declare_incident,
    exam_data,
    local_minute,
    referral_data,
    report_data,
)


def _board(client: FlaskClient) -> str:
    return client.get("/board/").get_data(as_text=True)


def _waiting(client: FlaskClient, auth, count: int) -> list[int]:
    auth.login("radiographer")
    ids = []
    for i in range(count):
        # Arrived now: within their priority's longest wait, none jumps the board as late.
        data = referral_data(
            key_suffix=f"w{i}", patient_name=f"Vänt Patient{i}", arrived_at=local_minute()
        )
        response = client.post("/cases/new", data=data)
        assert response.status_code == 302
        ids.append(int(response.headers["Location"].rsplit("/", 1)[-1]))
    auth.logout()
    return ids


def _waived_case(client: FlaskClient, auth, report_action: str, suffix: str) -> int:
    """A case examined, reported with `report_action` ("" for none) and waived (confirmed);
    nobody logged in."""
    auth.login("radiographer")
    location = client.post("/cases/new", data=referral_data(key_suffix=suffix)).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    exam = client.post(f"/cases/{case_id}/exam", data=exam_data(key_suffix=suffix))
    assert exam.status_code == 302
    auth.logout()
    if report_action == "definitive":
        auth.login("radiologist")
        assert client.post(f"/reporting/{case_id}", data=report_data()).status_code == 302
        auth.logout()
    waive(client, auth, case_id, "Inlagd direkt i RIS")
    auth.logout()
    if report_action == "save":
        # Written after the waiver, never signed: the close waits for the radiologist.
        auth.login("radiologist")
        assert client.post(f"/reporting/{case_id}", data=report_data("save")).status_code == 302
        auth.logout()
    return case_id


@pytest.mark.parametrize(
    ("report_action", "flag", "role"),
    [
        ("definitive", "Svar ej faxat", "radiographer"),
        ("save", "Osignerat utlåtande", "radiologist"),
    ],
)
def test_a_reconciled_case_holding_the_close_ranks_with_the_reports_to_send(
    app: Flask,
    client: FlaskClient,
    auth,
    monkeypatch: pytest.MonkeyPatch,
    report_action: str,
    flag: str,
    role: str,
) -> None:
    from webapp.board import views

    monkeypatch.setattr(views, "BOARD_ROWS", 1)
    auth.login("radiographer")
    declare_incident(client)
    auth.logout()
    held = _waived_case(client, auth, report_action, "h")
    # Signed after, its fax still to send: by arrival the held case comes first among such.
    (signed,) = _waiting(client, auth, 1)
    auth.login("radiographer")
    assert client.post(f"/cases/{signed}/exam", data=exam_data(key_suffix="s")).status_code == 302
    auth.login("radiologist")
    signing = client.post(f"/reporting/{signed}", data=report_data(key="s" * 20))
    assert signing.status_code == 302
    auth.login(role)
    page = _board(client)
    assert "Visa alla" in page  # more rows than shown
    assert case_code(app, held) in page, "the case holding the close is only under Visa alla"
    assert flag in page
    assert case_code(app, signed) not in page
