"""A documentation blank joined to a case whose exam is not typed in says so where staff look.

The exam was done: its documentation is on the paper sheet in the red tray. Shown only as
"Remiss mottagen", the case reads as a patient still to be examined (and called in again),
and nothing says the sheet waits for someone to type it in, as a report blank's case does.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import reserve_blank
from .factories import case_code, exam_data, referral_data

FLAG = "Dokumentation på blankett"


def _case_with_doc_blank(app: Flask, client: FlaskClient, auth) -> tuple[int, str]:
    """A referral typed in, and a documentation blank joined to it (its exam not typed in);
    the case's id and the blank's code, with a radiographer logged in."""
    code = reserve_blank(app, client, auth, "BLD")
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    response = client.post(f"/blanks/{code}/attach/confirm", data={"case_id": str(case_id)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return case_id, code


def _board_row(client: FlaskClient, code: str) -> str:
    page = client.get("/board/").get_data(as_text=True)
    for row in page.split('<li class="board-row')[1:]:
        if f'<span class="b-code">{code}</span>' in row:
            return row.split("</li>", 1)[0]
    return ""


def test_the_board_says_the_documentation_is_on_a_blank(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, _blank = _case_with_doc_blank(app, client, auth)
    row = _board_row(client, case_code(app, case_id))
    assert FLAG in row, row


def test_the_flag_goes_once_the_exam_is_typed_in(app: Flask, client: FlaskClient, auth) -> None:
    case_id, _blank = _case_with_doc_blank(app, client, auth)
    assert client.post(f"/cases/{case_id}/exam", data=exam_data()).status_code == 302
    row = _board_row(client, case_code(app, case_id))
    assert row and FLAG not in row, row


def test_a_case_without_a_documentation_blank_has_no_flag(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    row = _board_row(client, case_code(app, int(location.rsplit("/", 1)[-1])))
    assert row and FLAG not in row, row


def test_the_case_page_names_the_blank_waiting_to_be_typed_in(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, blank = _case_with_doc_blank(app, client, auth)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f"Dokumentationen finns på blankett {blank} och väntar på att föras in." in page
