"""A case cancelled while its anonymised referral is with the external reviewer, unanswered.

Cancelling stays allowed (a duplicate faxed there by mistake must go), but the reviewer does
not see the app: the cancel form says the reviewer must be told, and the cancelled case holds
the incident's close, listed on its page and the batch, until someone records that they told
the reviewer (audited, by whom and when)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.incidents.closing import open_tasks
from webapp.models import AuditEvent, Case, ReviewerLogEntry

from .catchup_support import close_incident, incident_ended
from .clock_support import clock_set_back
from .factories import case_code, incident_of
from .reviewer_support import _fax_to_the_reviewer
from .routines_support import make_case, receive_data

NOT_TOLD = "extern granskare, som har remissen, är inte meddelad"


def _cancel(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiographer")
    response = client.post(
        f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Dubblett"}
    )
    assert response.status_code == 302


def _cancelled_with_the_reviewer(app: Flask, client: FlaskClient, auth) -> int:
    case_id = make_case(client, auth)
    _fax_to_the_reviewer(client, auth, case_id)
    _cancel(client, auth, case_id)
    with app.app_context():
        assert db.session.get(Case, case_id).status == "cancelled"
    return case_id


def _told(client: FlaskClient, case_id: int, how: str = "Faxat till koordinatorn") -> str:
    return client.post(
        f"/cases/{case_id}/reviewer-told", data={"how": how}, follow_redirects=True
    ).get_data(as_text=True)


def test_the_cancel_form_says_the_reviewer_has_the_referral(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="cancel-reviewer"' not in page
    _fax_to_the_reviewer(client, auth, case_id, sent_at="2026-01-15T11:10")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    cancel_box = page.split('id="cancel"', 1)[1]
    note = cancel_box.split('id="cancel-reviewer"', 1)[1].split("</div>", 1)[0]
    assert "faxad till extern granskare" in note and "11:10" in note


def test_a_case_cancelled_with_the_reviewer_holds_the_close_until_the_reviewer_is_told(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_the_reviewer(app, client, auth)
    incident_id = incident_of(app, case_id)
    auth.login("radiographer")
    assert NOT_TOLD in client.get(f"/cases/{case_id}").get_data(as_text=True)
    auth.login("secretary")
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    entry = next(e for e in batch.split("<li>") if NOT_TOLD in e)
    assert f'href="/cases/{case_id}#reviewer-told"' in entry
    page = close_incident(client, auth, incident_id)
    assert not incident_ended(app, incident_id)
    assert NOT_TOLD in page
    auth.login("radiographer")
    page = _told(client, case_id)
    assert "Extern granskare meddelad om makuleringen" in page
    assert "Faxat till koordinatorn" in page
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "reviewer_cancel_told")
        )
        assert event is not None and event.case_id == case_id
        assert "Faxat till koordinatorn" in event.detail
    page = close_incident(client, auth, incident_id)
    # Still held by its clean-up in RIS/PACS (the exam's images were sent), not by the reviewer.
    assert NOT_TOLD not in page
    with app.app_context():
        assert "reviewer_cancel" not in [t.kind for t in open_tasks(incident_id)]


def test_telling_the_reviewer_needs_how_and_keeps_the_page(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_the_reviewer(app, client, auth)
    auth.login("radiographer")
    response = client.post(f"/cases/{case_id}/reviewer-told", data={"how": "  "})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r"Skriv hur granskaren meddelades", page)
    with app.app_context():
        told = select(ReviewerLogEntry).where(ReviewerLogEntry.kind == "cancel_told")
        assert db.session.scalar(told) is None


def test_a_double_tap_records_the_reviewer_told_once(app: Flask, client: FlaskClient, auth) -> None:
    case_id = _cancelled_with_the_reviewer(app, client, auth)
    auth.login("radiographer")
    _told(client, case_id)
    page = _told(client, case_id)
    assert "Granskaren är redan meddelad" in page
    with app.app_context():
        told = select(ReviewerLogEntry).where(ReviewerLogEntry.kind == "cancel_told")
        assert len(list(db.session.scalars(told))) == 1


def test_a_case_never_faxed_to_the_reviewer_asks_nothing_of_it_when_cancelled(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    _cancel(client, auth, case_id)
    auth.login("radiographer")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert NOT_TOLD not in page and 'id="reviewer-told"' not in page
    assert client.post(f"/cases/{case_id}/reviewer-told", data={"how": "x"}).status_code == 302
    with app.app_context():
        told = select(ReviewerLogEntry).where(ReviewerLogEntry.kind == "cancel_told")
        assert db.session.scalar(told) is None


def test_a_case_cancelled_again_after_a_restore_needs_the_reviewer_told_again(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_the_reviewer(app, client, auth)
    auth.login("radiographer")
    _told(client, case_id)
    client.post(f"/cases/{case_id}/restore", data={"reason": "Fel ärende"})
    _cancel(client, auth, case_id)
    assert NOT_TOLD in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_an_answer_for_a_cancelled_case_is_refused_saying_where_the_fax_goes(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The reviewer answered before hearing of the cancellation: the answer has no case to go
    # on, and the one at the fax is told what to do with the paper and the reviewer.
    case_id = _cancelled_with_the_reviewer(app, client, auth)
    auth.login("radiographer")
    data = receive_data(case_code(app, case_id), forwarded=False)
    response = client.post("/routines/reviewer/receive", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "lämna faxet till RIS-administratören" in page
    assert "meddela granskaren" in page
    with app.app_context():
        assert (
            db.session.scalar(
                select(AuditEvent).where(AuditEvent.action == "reviewer_report_received")
            )
            is None
        )


def test_the_reviewer_told_under_a_clock_set_back_since_the_cancel_counts(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Told by the clock an hour behind the cancel's: by time alone the record lay before the
    # cancellation, never counted, and the close was held for good.
    case_id = _cancelled_with_the_reviewer(app, client, auth)
    incident_id = incident_of(app, case_id)
    auth.login("radiographer")
    with clock_set_back(1):
        page = _told(client, case_id)
    assert NOT_TOLD not in page
    with app.app_context():
        assert "reviewer_cancel" not in [t.kind for t in open_tasks(incident_id)]
