"""The reporting screen says when the case's anonymised referral is with the external reviewer,
as the worklist and the board do: opened from a link or the case page, the case could otherwise
be read a second time and the referrer get two reports."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .factories import case_code
from .reviewer_support import _fax_to_the_reviewer
from .routines_support import make_case, receive_data


def _note(client: FlaskClient, case_id: int) -> str:
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    if 'class="flash flash-info awaits-reviewer"' not in page:
        return ""
    return page.split('class="flash flash-info awaits-reviewer"', 1)[1].split("</p>", 1)[0]


def test_the_reporting_screen_says_the_case_is_with_the_reviewer_and_since_when(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiologist")
    assert _note(client, case_id) == ""
    _fax_to_the_reviewer(client, auth, case_id, sent_at="2026-01-15T11:10")
    auth.login("radiologist")
    note = _note(client, case_id)
    assert "Väntar på extern granskare" in note
    # Typed in local time (the form's times are the department's clock).
    assert "11:10" in note
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    # A note, not a block: the editor is still there to sign a report here instead.
    assert 'name="sections-0-text"' in page


def test_the_reviewer_note_on_the_reporting_screen_goes_once_the_answer_is_logged(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    _fax_to_the_reviewer(client, auth, case_id)
    auth.login("radiographer")
    client.post(
        "/routines/reviewer/receive", data=receive_data(case_code(app, case_id), forwarded=False)
    )
    auth.login("radiologist")
    assert _note(client, case_id) == ""
