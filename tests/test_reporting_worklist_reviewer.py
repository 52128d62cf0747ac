"""The radiologist's worklist says which case's anonymised referral is with the external
reviewer, as the board does: read here too, the referrer could get two reports."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .factories import case_code
from .reviewer_support import _fax_to_the_reviewer
from .routines_support import make_case, receive_data


def _worklist_row(client: FlaskClient, code: str) -> str:
    page = client.get("/reporting/").get_data(as_text=True)
    for row in page.split('<li class="board-row')[1:]:
        if f'<span class="b-code">{code}</span>' in row:
            return row.split("</li>", 1)[0]
    return ""


def test_a_case_faxed_to_the_reviewer_says_so_on_the_worklist_until_the_answer_comes(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("radiologist")
    assert "Väntar på extern granskare" not in _worklist_row(client, code)
    _fax_to_the_reviewer(client, auth, case_id)
    auth.login("radiologist")
    assert "Väntar på extern granskare" in _worklist_row(client, code)
    client.post("/language", data={"lang": "en", "next": "/"})
    assert "Awaiting the external reviewer" in _worklist_row(client, code)
    auth.login("radiographer")
    client.post("/routines/reviewer/receive", data=receive_data(code, forwarded=False))
    auth.login("radiologist")
    assert "Väntar på extern granskare" not in _worklist_row(client, code)
