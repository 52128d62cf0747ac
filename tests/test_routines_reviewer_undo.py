"""A reviewer's answer recorded on the wrong case is undone with a reason: the cancel block, the
board's flag and the RIS administrator's queue go with it; a copy already faxed on to the
referrer needs a second confirmation."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.cases.cancelling import cancel_refusal
from webapp.extensions import db
from webapp.models import AuditEvent, Case, ReviewerExchange

from .factories import case_code
from .reviewer_support import _entries
from .routines_support import ENTERED, make_case, receive_reviewer_report

UNDO = {"undo-reason": "Fel ärendekod, svaret gällde AKS-PFB."}


def _undo(client: FlaskClient, case_id: int, **extra: str):
    return client.post(f"/routines/reviewer/cases/{case_id}/undo-receipt", data=UNDO | extra)


def test_undo_lifts_the_cancel_block_the_board_flag_and_the_admin_queue(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    receive_reviewer_report(client, auth, case_code(app, case_id), forwarded=False)
    assert "Granskarens svar ej vidarebefordrat" in client.get("/board/").get_data(as_text=True)
    assert _undo(client, case_id).status_code == 302
    with app.app_context():
        exchange = db.session.scalar(select(ReviewerExchange))
        assert exchange.report_received_at is None and exchange.queued_for_admin_at is None
        assert cancel_refusal(db.session(), db.session.get(Case, case_id)) == ""
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "reviewer_receipt_undone")
        )
        assert event.case_id == case_id and "AKS-PFB" in event.detail
    assert [kind for kind, _n, _p in _entries(app)] == ["received_undone", "receipt_undone"]
    assert "Granskarens svar ej vidarebefordrat" not in client.get("/board/").get_data(as_text=True)
    page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    assert "Utlåtandet har kommit per fax" in page and "AKS-PFB" in page


def test_undo_needs_a_reason_next_to_the_field(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    receive_reviewer_report(client, auth, case_code(app, case_id), forwarded=False)
    response = _undo(client, case_id, **{"undo-reason": ""})
    assert response.status_code == 400
    assert 'id="undo-reason-error"' in response.get_data(as_text=True)
    assert [kind for kind, _n, _p in _entries(app)] == ["report_received"]


def test_undo_after_the_copy_was_faxed_on_needs_the_referrer_told(
    app: Flask, client: FlaskClient, auth
) -> None:
    # A report signed in the app before the answer came: the copy is printed from it.
    case_id = make_case(client, auth, report="preliminary")
    receive_reviewer_report(client, auth, case_code(app, case_id))
    refused = _undo(client, case_id)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'id="undo-referrer_told-error"' in page and "faxats till remittenten" in page
    assert "Fel ärendekod" in page  # the reason typed stays
    assert [kind for kind, _n, _p in _entries(app)] == ["report_received", "forwarded"]
    assert _undo(client, case_id, **{"undo-referrer_told": "y"}).status_code == 302
    kinds = [kind for kind, _n, _p in _entries(app)]
    assert kinds == ["received_undone", "forwarded_undone", "receipt_undone"]


def test_undo_sent_twice_is_logged_once(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    receive_reviewer_report(client, auth, case_code(app, case_id), forwarded=False)
    first = _undo(client, case_id, **{"undo-form_key": "u" * 20})
    again = _undo(client, case_id, **{"undo-form_key": "u" * 20})
    assert first.status_code == again.status_code == 302
    assert [kind for kind, _n, _p in _entries(app)] == ["received_undone", "receipt_undone"]


def test_undo_is_refused_once_the_text_is_entered_as_the_cases_report(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    receive_reviewer_report(
        client, auth, case_code(app, case_id), role="secretary", forwarded=False, **ENTERED
    )
    response = _undo(client, case_id)
    assert response.status_code == 400
    assert "infört som utlåtande" in response.get_data(as_text=True)
    assert [kind for kind, _n, _p in _entries(app)] == ["report_received"]
