"""A case faxed to the external reviewer whose answer has not come: the board says it waits
for the reviewer, and the close waits for the answer however the case was reconciled.

After the end the answer can no longer be logged here, nor forwarded to the referrer nor
handed to the RIS administrator through the app: a waiver given meanwhile ("inlagd direkt i
RIS") must not let the incident end on it.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE

from .catchup_support import close_incident, fax_to_referrer, incident_ended, waive
from .factories import case_code, exam_data, incident_of, referral_data, report_data
from .reviewer_support import _fax_to_the_reviewer

WAITS = "Svaret från extern granskare har inte kommit"
# The example site's file with its [routines.external_reviewer] section (and routes) removed.
WITHOUT_REVIEWER = re.sub(
    r"\[routines\.external_reviewer\].*?(?=\[routines\.transfer\])",
    "",
    EXAMPLE_SITE.read_text(encoding="utf-8"),
    flags=re.DOTALL,
)


def _sent_to_the_reviewer(client: FlaskClient, auth) -> int:
    """A case examined and its referral faxed to the external reviewer; nobody logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    client.post(f"/cases/{case_id}/exam", data=exam_data())
    assert _fax_to_the_reviewer(client, auth, case_id).status_code == 302
    auth.logout()
    return case_id


def _board_row(client: FlaskClient, code: str) -> str:
    page = client.get("/board/").get_data(as_text=True)
    for row in page.split('<li class="board-row')[1:]:
        if f'<span class="b-code">{code}</span>' in row:
            return row.split("</li>", 1)[0]
    return ""


def test_a_case_waiting_for_the_reviewer_says_so_on_the_board(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _sent_to_the_reviewer(client, auth)
    auth.login("radiologist")
    assert "Väntar på extern granskare" in _board_row(client, case_code(app, case_id))


def test_a_waived_case_waiting_for_the_reviewer_holds_the_close_named_and_linked(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _sent_to_the_reviewer(client, auth)
    waive(client, auth, case_id, "Inlagd direkt i RIS")
    incident_id = incident_of(app, case_id)
    page = close_incident(client, auth, incident_id)
    assert not incident_ended(app, incident_id)
    assert WAITS in page
    code = case_code(app, case_id)
    entry = next(e for e in page.split("<li>") if code in e and WAITS in e)
    assert "Örjan Älvström" in entry and "19121212-1212" in entry
    assert re.search(rf'href="/routines/reviewer/cases/{case_id}"', entry), entry
    # On the board too: waived, it would otherwise drop off it.
    auth.login("radiologist")
    assert "Väntar på extern granskare" in _board_row(client, code)


def test_a_report_signed_here_ends_the_wait_for_the_reviewer(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The reviewer never answered and a radiologist here reported the exam instead: nothing
    # is awaited any more, and the case goes to RIS as any other (here: waived once signed).
    case_id = _sent_to_the_reviewer(client, auth)
    auth.login("radiologist")
    assert client.post(f"/reporting/{case_id}", data=report_data("definitive")).status_code == 302
    auth.logout()
    waive(client, auth, case_id, "Inlagd direkt i RIS")
    auth.login("secretary")
    fax_to_referrer(client, case_id)
    incident_id = incident_of(app, case_id)
    page = close_incident(client, auth, incident_id)
    assert WAITS not in page
    assert incident_ended(app, incident_id), page


def test_a_case_awaiting_the_reviewer_holds_the_close_after_the_routine_was_dropped(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The department removed the routine from its file mid-outage: the answer is still owed.
    case_id = _sent_to_the_reviewer(client, auth)
    auth.login("admin")
    assert client.post("/admin/site", data={"config_toml": WITHOUT_REVIEWER}).status_code == 302
    auth.logout()
    waive(client, auth, case_id, "Inlagd direkt i RIS")
    incident_id = incident_of(app, case_id)
    page = close_incident(client, auth, incident_id)
    assert not incident_ended(app, incident_id)
    code = case_code(app, case_id)
    entry = next(e for e in page.split("<li>") if code in e and WAITS in e)
    assert re.search(rf'href="/routines/reviewer/cases/{case_id}"', entry), entry
    assert client.get(f"/routines/reviewer/cases/{case_id}").status_code == 200
    auth.login("radiologist")
    assert "Väntar på extern granskare" in _board_row(client, code)
    assert f"/routines/reviewer/cases/{case_id}" in client.get(f"/cases/{case_id}").get_data(
        as_text=True
    )
