"""A report the external reviewer faxed back, entered from the case page rather than through the
reviewer routine: it stays on the lists until someone faxes or forwards it to the referrer."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.incidents.close_asked import unfaxed_reports
from webapp.models import Case

from .dispatch_support import _dispatch
from .factories import case_code
from .reviewer_support import _fax_to_the_reviewer
from .routines_support import make_case, receive_reviewer_report

FAXED_IN = {
    "author_name": "Dr Extern",
    "received_at": "2026-01-15T11:40",
    "state": "definitive",
    "findings": "Ingen blödning.",
    "conclusion": "Normalt.",
}
FORWARD_LABEL = "Granskarens svar ej vidarebefordrat"


def _unfaxed(app: Flask, case_id: int) -> list[int]:
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
        return [r.case_id for r in unfaxed_reports(incident_id)]


def test_a_reviewers_report_entered_on_the_case_page_before_the_routine_logs_it_needs_faxing(
    app: Flask, client: FlaskClient, auth
) -> None:
    """Only the referral was logged as faxed to the reviewer: the routine does not know the
    answer came back, so nothing would ever send it on to the referrer."""
    case_id = make_case(client, auth)
    _fax_to_the_reviewer(client, auth, case_id)
    auth.login("secretary")
    assert client.post(f"/reporting/{case_id}/fax", data=FAXED_IN).status_code == 302
    assert "Signerat svar ej faxat" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Svar ej faxat" in client.get("/board/").get_data(as_text=True)
    assert _unfaxed(app, case_id) == [case_id]
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    assert "Svar ej faxat" not in client.get("/board/").get_data(as_text=True)
    assert _unfaxed(app, case_id) == []


def test_a_later_report_after_the_routine_forwarded_the_first_needs_faxing(
    app: Flask, client: FlaskClient, auth
) -> None:
    """The routine forwarded the reviewer's preliminary answer; the definitive one that came
    later and was entered on the case page is no copy the routine has sent."""
    case_id = make_case(client, auth)
    receive_reviewer_report(
        client,
        auth,
        case_code(app, case_id),
        role="secretary",
        state="preliminary",
        findings="Oklart.",
        conclusion="Preliminärt normalt.",
    )
    board = client.get("/board/").get_data(as_text=True)
    assert "Svar ej faxat" not in board and FORWARD_LABEL not in board
    assert client.post(f"/reporting/{case_id}/fax", data=FAXED_IN).status_code == 302
    assert "Signerat svar ej faxat" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Svar ej faxat" in client.get("/board/").get_data(as_text=True)
    assert _unfaxed(app, case_id) == [case_id]


def test_a_report_the_routine_awaits_forwarding_is_left_to_the_routine(
    app: Flask, client: FlaskClient, auth
) -> None:
    """Logged as received in the routine and typed in on the case page: the board asks for the
    forwarded copy once, and the copy logged in the routine clears it."""
    case_id = make_case(client, auth)
    receive_reviewer_report(client, auth, case_code(app, case_id), forwarded=False)
    auth.login("secretary")
    assert client.post(f"/reporting/{case_id}/fax", data=FAXED_IN).status_code == 302
    board = client.get("/board/").get_data(as_text=True)
    assert FORWARD_LABEL in board and "Svar ej faxat" not in board
    client.post(
        f"/routines/reviewer/cases/{case_id}/forwarded",
        data={"forward-number": "0999-123 46", "forward-at": "2026-01-15T11:50"},
    )
    board = client.get("/board/").get_data(as_text=True)
    assert FORWARD_LABEL not in board and "Svar ej faxat" not in board
    assert "Signerat svar ej faxat" not in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert _unfaxed(app, case_id) == []
