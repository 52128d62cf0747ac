"""The routines' lists of cases (reviewer exchanges, RIS-admin queue, transfers) are reads."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case

from .factories import audit_events, case_code
from .routines_support import make_case, receive_data, release_data, transfer_data


def _reviewed_case(app: Flask, client: FlaskClient, auth) -> tuple[str, int]:
    """A case whose anonymised report came back by fax: in the reviewer list and the queue."""
    case_id = make_case(client, auth)
    with app.app_context():
        case = db.session.get(Case, case_id)
        code, incident_id = case.code, case.incident_id
    auth.login("radiographer")
    response = client.post("/routines/reviewer/receive", data=receive_data(code, forwarded=False))
    assert response.status_code == 302
    auth.logout()
    return code, incident_id


def test_the_reviewer_list_is_logged_as_a_read_naming_its_cases(
    app: Flask, client: FlaskClient, auth
) -> None:
    code, incident_id = _reviewed_case(app, client, auth)
    auth.login("radiographer")
    assert code in client.get("/routines/reviewer").get_data(as_text=True)
    (row,) = audit_events(app, "reviewer_list_view")
    assert row.username == "test-radiographer" and row.incident_id == incident_id
    assert code in row.detail and row.patient_ref == ""


def test_the_ris_admin_queue_is_logged_as_a_read_naming_its_cases(
    app: Flask, client: FlaskClient, auth
) -> None:
    code, _incident_id = _reviewed_case(app, client, auth)
    auth.login("admin")
    assert code in client.get("/routines/reviewer/queue").get_data(as_text=True)
    (row,) = audit_events(app, "reviewer_queue_view")
    assert row.username == "test-admin" and code in row.detail


def test_the_ris_admin_queue_shown_again_after_a_refused_note_is_a_read(
    app: Flask, client: FlaskClient, auth
) -> None:
    code, _incident_id = _reviewed_case(app, client, auth)
    auth.login("admin")
    with app.app_context():
        from webapp.models import ReviewerExchange

        exchange_id = db.session.scalar(select(ReviewerExchange.id))
    response = client.post(
        f"/routines/reviewer/queue/{exchange_id}/done", data={"note": "x" * 2001}
    )
    assert response.status_code == 400 and code in response.get_data(as_text=True)
    (row,) = audit_events(app, "reviewer_queue_view")
    assert code in row.detail


def test_the_transfer_list_is_logged_as_a_read_naming_its_transfers_and_cases(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    code = case_code(app, case_id)
    auth.login("radiographer")
    client.post("/routines/transfers/new", data=transfer_data(patient_ref="", case_code=code))
    client.post("/routines/transfers/new", data=transfer_data())
    page = client.get("/routines/transfers").get_data(as_text=True)
    assert code in page
    row, typed = audit_events(app, "transfer_list_view")
    assert row.username == "test-radiographer"
    assert code in row.detail and "#1" in row.detail and "#2" in row.detail
    # The transfer with no case names its patient as typed: a row of its own, by that patient.
    assert typed.patient_ref == "19121212-1212" and "#2" in typed.detail


def test_the_billing_list_is_logged_as_a_read_naming_its_cases(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    code = case_code(app, case_id)
    auth.login("secretary")
    assert (
        client.post(f"/routines/releases/cases/{case_id}", data=release_data()).status_code == 302
    )
    assert code in client.get("/routines/releases/billing").get_data(as_text=True)
    (row,) = audit_events(app, "release_billing_view")
    assert code in row.detail
