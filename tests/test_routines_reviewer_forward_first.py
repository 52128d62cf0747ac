"""A copy of the reviewer's answer is logged as forwarded to the referrer only once an answer
has come: before that there is nothing to forward, and the refusal says so beside the form."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReviewerLogEntry

from .factories import audit_events, case_code
from .reviewer_support import _entries, _fax_to_the_reviewer
from .routines_support import ENTERED, make_case, receive_reviewer_report

FORWARD = {"forward-number": "0999-777 11", "forward-at": "2026-01-15T11:50"}


def _forward(client: FlaskClient, case_id: int):
    return client.post(f"/routines/reviewer/cases/{case_id}/forwarded", data=FORWARD)


def _number_block(page: str) -> str:
    start = page.index('name="forward-number"')
    return page[page.rindex("<div", 0, start) : page.index("</div>", start)]


def test_a_copy_is_refused_before_any_answer_beside_the_field_keeping_the_number(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    assert _fax_to_the_reviewer(client, auth, case_id).status_code == 302
    response = _forward(client, case_id)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    block = _number_block(page)
    assert "Inget svar från granskaren är loggat än" in block
    assert 'value="0999-777 11"' in block
    assert [kind for kind, _n, _p in _entries(app)] == ["fax_sent"]
    assert not audit_events(app, "reviewer_report_forwarded")


def test_a_copy_for_a_case_never_sent_to_the_reviewer_opens_no_exchange(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    assert _forward(client, case_id).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(ReviewerLogEntry)) is None
    page = client.get("/routines/reviewer").get_data(as_text=True)
    assert case_code(app, case_id) not in page


def test_once_the_answer_has_come_the_copy_is_logged(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    receive_reviewer_report(
        client, auth, case_code(app, case_id), forwarded=False, role="secretary", **ENTERED
    )
    assert _forward(client, case_id).status_code == 302
    assert [kind for kind, _n, _p in _entries(app)] == ["report_received", "forwarded"]
