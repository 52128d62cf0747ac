"""The external-reviewer routine's logs at the same moment as other writes of the case
(real concurrent requests, both databases)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, ReviewerExchange, ReviewerLogEntry

from .factories import case_code
from .routines_support import ENTERED, make_case, receive_data
from .row_held import sent_while_row_held


def _events(app: Flask, action: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == action)
        )


def test_a_reviewer_report_logged_as_the_case_is_cancelled_leaves_one_of_the_two(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    # A cancelled case owes the referrer nothing: its reviewer report could never be forwarded.
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("radiographer")
    secretary = tablet_factory("sekr-bo", role="secretary")
    sent_while_row_held(
        app,
        "case",
        case_id,
        [
            lambda: client.post(
                f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Dubblett"}
            ),
            lambda: secretary.post(
                "/routines/reviewer/receive", data=receive_data(code, **ENTERED)
            ),
        ],
    )
    with app.app_context():
        assert db.session.get(Case, case_id).status == "cancelled"
        received = select(ReviewerExchange.id).where(
            ReviewerExchange.report_received_at.is_not(None)
        )
        assert db.session.scalar(received) is None
    assert _events(app, "reviewer_report_received") == 0


def test_the_first_two_reviewer_logs_of_a_case_at_once_are_both_stored(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    other = tablet_factory("rsk-bo")
    url = f"/routines/reviewer/cases/{case_id}"
    fax, route = sent_while_row_held(
        app,
        "case",
        case_id,
        [
            lambda: client.post(
                url + "/fax",
                data={"fax-number": "0999-600 01", "fax-sent_at": "2026-01-15T11:10"},
            ),
            lambda: other.post(
                url + "/route",
                data={"route-route_key": "teleradiology", "route-outcome": "failed"},
            ),
        ],
    )
    assert [fax.status_code, route.status_code] == [302, 302]
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewerExchange.id))) == 1
        kinds = db.session.scalars(select(ReviewerLogEntry.kind).order_by(ReviewerLogEntry.id))
        assert list(kinds) == ["fax_sent", "image_route"]


def test_a_queue_item_marked_done_by_two_admins_at_once_is_done_once(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    client.post(
        "/routines/reviewer/receive", data=receive_data(case_code(app, case_id), forwarded=False)
    )
    auth.logout()
    auth.login("admin")
    other = tablet_factory("adm-bo", role="admin")
    with app.app_context():
        exchange_id = db.session.scalar(select(ReviewerExchange.id))
    url = f"/routines/reviewer/queue/{exchange_id}/done"
    sent_while_row_held(
        app,
        "reviewer_exchange",
        exchange_id,
        [
            lambda: client.post(url, data={"note": "Svar i RIS"}),
            lambda: other.post(url, data={"note": "Inlagt"}),
        ],
    )
    with app.app_context():
        assert db.session.get(ReviewerExchange, exchange_id).admin_note == "Svar i RIS"
        done = select(func.count(ReviewerLogEntry.id)).where(ReviewerLogEntry.kind == "admin_done")
        assert db.session.scalar(done) == 1
    assert _events(app, "reviewer_admin_done") == 1
