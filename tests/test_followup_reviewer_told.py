"""The follow-up says, for each cancelled case whose external reviewer held the referral, that
the reviewer was told of the cancellation: when and by whom (or that nobody told them). How
they were told is typed text: it stays in the case, as the why of a cancellation does."""

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

HOW = "Faxat till koordinatorn"


def _cancelled_with_the_reviewer(client: FlaskClient, auth) -> int:
    case_id = make_case(client, auth)
    _fax_to_the_reviewer(client, auth, case_id)
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Dubblett"})
    return case_id


def _told_at(app: Flask) -> str:
    with app.app_context(), app.test_request_context():
        told = db.session.scalar(
            select(ReviewerLogEntry).where(ReviewerLogEntry.kind == "cancel_told")
        )
        assert told is not None
        return local_time_marked(told.at)


def _followup(client: FlaskClient, auth, incident_id: int) -> tuple[str, str]:
    auth.login("admin")
    page = client.get(f"/incidents/{incident_id}/followup").get_data(as_text=True)
    sheet = pdf_text(client.get(f"/incidents/{incident_id}/followup.pdf").get_data())
    return page, " ".join(sheet.split())


def test_the_followup_says_the_reviewer_was_told_of_the_cancellation(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_the_reviewer(client, auth)
    client.post(f"/cases/{case_id}/reviewer-told", data={"how": HOW})
    code = case_code(app, case_id)
    at = _told_at(app)
    page, sheet = _followup(client, auth, incident_of(app, case_id))
    line = next(li for li in page.split("<li>") if code in li and "granskare" in li)
    assert "Extern granskare meddelad om makuleringen" in line
    assert at in line and "Testa Radiographer Åström" in line
    assert "Extern granskare meddelad om makulering" in sheet
    row = sheet.split("Extern granskare meddelad om makulering", 1)[1]
    assert code in row and at in row
    assert HOW not in page and HOW not in sheet


def test_the_followup_says_the_reviewer_was_not_told(app: Flask, client: FlaskClient, auth) -> None:
    case_id = _cancelled_with_the_reviewer(client, auth)
    code = case_code(app, case_id)
    page, sheet = _followup(client, auth, incident_of(app, case_id))
    line = next(li for li in page.split("<li>") if code in li and "granskare" in li)
    assert "Extern granskare inte meddelad" in line
    row = sheet.split("Extern granskare meddelad om makulering", 1)[1]
    assert code in row and "Inte meddelad" in row


def test_a_cancelled_case_never_with_the_reviewer_says_nothing_of_it(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Dubblett"})
    page, sheet = _followup(client, auth, incident_of(app, case_id))
    assert "Extern granskare" not in page.split('id="cases"', 1)[1].split("</section>", 1)[0]
    assert "Extern granskare meddelad om makulering" not in sheet
