"""A reconciled case that still holds the close ranks with the outstanding work on the board.

The board shows sixty rows; past them only "Visa alla" reaches the rest. A keyed or waived case
whose report still waits to be faxed or signed sorted with the quiet reconciled ones, below
every case still to examine, and a busy outage hid it until the close refused to end.
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

# One more than the board's rows (webapp/board/views.BOARD_ROWS), all waiting for their exam.
_WAITING = 61


def _board_codes(client: FlaskClient) -> str:
    return client.get("/board/").get_data(as_text=True)


def _many_waiting(client: FlaskClient, auth, count: int = _WAITING) -> None:
    auth.login("radiographer")
    for i in range(count):
        # Arrived now: within their priority's longest wait, none jumps the board as late.
        data = referral_data(
            key_suffix=f"w{i}", patient_name=f"Vänt Patient{i}", arrived_at=local_minute()
        )
        assert client.post("/cases/new", data=data).status_code == 302
    auth.logout()


def _waived_case(client: FlaskClient, auth, report_action: str) -> int:
    """A case examined, reported with `report_action` and waived (confirmed); nobody logged in."""
    auth.login("radiographer")
    location = client.post("/cases/new", data=referral_data(key_suffix="h")).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    assert client.post(f"/cases/{case_id}/exam", data=exam_data(key_suffix="h")).status_code == 302
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


def test_a_reconciled_case_owing_its_fax_is_among_the_first_rows_of_a_full_board(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    declare_incident(client)
    auth.logout()
    held = _waived_case(client, auth, "definitive")
    _many_waiting(client, auth)
    auth.login("radiographer")
    page = _board_codes(client)
    assert "Visa alla" in page  # more rows than shown
    assert case_code(app, held) in page, "the case owing its fax is only under Visa alla"
    assert "Svar ej faxat" in page


def test_a_waived_case_with_an_unsigned_report_is_among_the_first_rows_of_a_full_board(
    app: Flask, client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webapp.board import views

    # The same ranking as above with a board of one row: sixty referrals cost twenty seconds.
    monkeypatch.setattr(views, "BOARD_ROWS", 1)
    auth.login("radiographer")
    declare_incident(client)
    auth.logout()
    held = _waived_case(client, auth, "save")
    _many_waiting(client, auth, 2)
    auth.login("radiologist")
    page = _board_codes(client)
    assert "Visa alla" in page
    assert case_code(app, held) in page, "the unsigned report is only under Visa alla"
    assert "Osignerat utlåtande" in page
