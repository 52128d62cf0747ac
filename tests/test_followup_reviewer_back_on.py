"""The follow-up lists each case whose cancellation was undone after the external reviewer was
told of it: when and by whom the reviewer was told the exam is back on, or that nobody told
them. How they were told is typed text: it stays in the case."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReviewerLogEntry
from webapp.web import local_time_marked

from .factories import case_code, incident_of
from .printforms.conftest import pdf_text
from .reviewer_support import _fax_to_the_reviewer
from .routines_support import make_case

HOW_BACK_ON = "Ringt koordinatorn om återtaget"
PAGE_HEADING = "Makulering ångrad efter att extern granskare meddelats"
SHEET_TITLE = "Makulering ångrad: extern granskare meddelad att undersökningen görs ändå"


def _restored_after_the_reviewer_was_told(client: FlaskClient, auth, *, told: bool = True) -> int:
    case_id = make_case(client, auth)
    _fax_to_the_reviewer(client, auth, case_id)
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Dubblett"})
    if told:
        client.post(f"/cases/{case_id}/reviewer-told", data={"how": "Faxat om makuleringen"})
    assert (
        client.post(f"/cases/{case_id}/restore", data={"reason": "Fel ärende"}).status_code == 302
    )
    return case_id


def _followup(client: FlaskClient, auth, incident_id: int) -> tuple[str, str]:
    auth.login("admin")
    page = client.get(f"/incidents/{incident_id}/followup").get_data(as_text=True)
    sheet = pdf_text(client.get(f"/incidents/{incident_id}/followup.pdf").get_data())
    return page, " ".join(sheet.split())


def _back_on_at(app: Flask) -> str:
    with app.app_context(), app.test_request_context():
        told = db.session.scalar(
            select(ReviewerLogEntry).where(ReviewerLogEntry.kind == "back_on_told")
        )
        assert told is not None
        return local_time_marked(told.at)


def _page_line(page: str, code: str) -> str:
    listed = page.split(PAGE_HEADING, 1)[1].split("</ul>", 1)[0]
    return next(li for li in listed.split("<li>") if code in li)


def test_the_followup_lists_a_restored_case_whose_reviewer_is_not_told_it_is_back_on(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _restored_after_the_reviewer_was_told(client, auth)
    code = case_code(app, case_id)
    page, sheet = _followup(client, auth, incident_of(app, case_id))
    assert "Extern granskare inte meddelad att undersökningen görs ändå" in _page_line(page, code)
    row = sheet.split(SHEET_TITLE, 1)[1]
    assert code in row and "Inte meddelad" in row.split(code, 1)[1][:40]


def test_the_followup_says_when_and_by_whom_the_reviewer_was_told_it_is_back_on(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _restored_after_the_reviewer_was_told(client, auth)
    client.post(f"/cases/{case_id}/reviewer-told", data={"how": HOW_BACK_ON, "kind": "back_on"})
    code = case_code(app, case_id)
    at = _back_on_at(app)
    page, sheet = _followup(client, auth, incident_of(app, case_id))
    line = _page_line(page, code)
    assert "Extern granskare meddelad att undersökningen görs ändå" in line
    assert at in line and "Testa Radiographer Åström" in line
    row = sheet.split(SHEET_TITLE, 1)[1]
    assert code in row and at in row and "Testa Radiographer Åström" in row
    assert HOW_BACK_ON not in page and HOW_BACK_ON not in sheet


def test_a_restored_case_whose_reviewer_never_heard_of_the_cancellation_is_not_listed(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _restored_after_the_reviewer_was_told(client, auth, told=False)
    page, sheet = _followup(client, auth, incident_of(app, case_id))
    assert PAGE_HEADING not in page
    assert SHEET_TITLE not in sheet
