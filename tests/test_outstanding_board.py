"""A reconciled case that still holds the close stays on the board, labelled with what is left.

The board's active list is where the department sees every case on its way; a case keyed or
waived drops off it. One that still holds the incident open for a radiologist's signature (an
unsigned change after keying, an unsigned report on a waived case) must not drop off with it,
or the one person who can finish it never sees it.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import reconcile_world, tick_all, waive
from .catchup_world_support import _shown, _status
from .catchup_world_support import world as world  # the fixture
from .factories import case_code, exam_data, referral_data, report_data


def _board_row(client: FlaskClient, code: str) -> str:
    """The board row of the case (as a radiologist sees it), "" if it is not listed."""
    page = client.get("/board/").get_data(as_text=True)
    for row in page.split('<li class="board-row')[1:]:
        if f'<span class="b-code">{code}</span>' in row:
            return row.split("</li>", 1)[0]
    return ""


def test_a_waived_case_with_an_unsigned_report_stays_on_the_board(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    client.post(f"/cases/{case_id}/exam", data=exam_data())
    waive(client, auth, case_id, "Inlagd direkt i RIS")
    auth.logout()
    auth.login("radiologist")
    assert client.post(f"/reporting/{case_id}", data=report_data("save")).status_code == 302
    assert _status(app, case_id) == "closed"
    row = _board_row(client, case_code(app, case_id))
    assert row, "the case dropped off the board"
    assert "Osignerat utlåtande" in row


def test_a_keyed_case_with_an_unsigned_change_stays_on_the_board(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    second = world["ids"][1]
    reconcile_world(client, auth, world)
    auth.login("secretary")
    client.post(f"/catchup/cases/{second}/waive/lift")
    tick_all(client, second, confirm_preliminary="y")
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{second}/verify")
    assert _status(app, second) == "closed"
    auth.logout()
    auth.login("radiologist")
    edited = report_data("save", "unsigned-edit-" + "x" * 10) | _shown(app, second, "report")
    edited["sections-1-text"] = "Misstänkt subduralhematom."
    assert client.post(f"/reporting/{second}", data=edited).status_code == 302
    row = _board_row(client, world["codes"][1])
    assert row, "the case dropped off the board"
    assert "Ändrat utlåtande ej signerat" in row
