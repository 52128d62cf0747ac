"""Whether the reviewer routine forwarded a faxed-in report, whatever the laptop's clock said.

A copy logged as forwarded covers the signatures the report had when it was logged: a report
entered after it, with the clock set back in between, still needs faxing to the referrer, and one
forwarded after the clock was set back stays forwarded.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.dispatch_rule import dispatch_status
from webapp.extensions import db
from webapp.incidents.close_asked import unfaxed_reports
from webapp.models import Case, ReviewerLogEntry

from .clock_support import clock_set_back
from .factories import case_code, hidden_value
from .routines_support import make_case, receive_reviewer_report

DEFINITIVE = {
    "author_name": "Dr Extern",
    "received_at": "2026-01-15T12:40",
    "state": "definitive",
    "findings": "Ingen blödning.",
    "conclusion": "Normalt.",
}
PRELIMINARY = {"state": "preliminary", "findings": "Oklart.", "conclusion": "Preliminärt normalt."}
NEEDS_FAX = "Signerat svar ej faxat"


def _forwarded_then_definitive_entered_after_the_clock_went_back(
    app: Flask, client: FlaskClient, auth
) -> int:
    """The routine logged the reviewer's preliminary answer and its copy to the referrer; the
    definitive answer is entered on the case page once the clock runs an hour behind."""
    case_id = make_case(client, auth)
    receive_reviewer_report(client, auth, case_code(app, case_id), role="secretary", **PRELIMINARY)
    with clock_set_back():
        response = client.post(f"/reporting/{case_id}/fax", data=DEFINITIVE)
    assert response.status_code == 302, response.get_data(as_text=True)
    # The clock put right again jumps an hour past the login's last use: it has gone idle.
    auth.login("secretary")
    return case_id


def test_a_report_entered_after_the_clock_went_back_past_a_forwarding_needs_faxing(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _forwarded_then_definitive_entered_after_the_clock_went_back(app, client, auth)
    with app.app_context():
        assert dispatch_status(db.session.get(Case, case_id)).needs_fax
    assert NEEDS_FAX in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_a_report_entered_after_the_clock_went_back_past_a_forwarding_stays_on_the_lists(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _forwarded_then_definitive_entered_after_the_clock_went_back(app, client, auth)
    assert "Svar ej faxat" in client.get("/board/").get_data(as_text=True)
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
        assert [r.case_id for r in unfaxed_reports(incident_id)] == [case_id]


def test_a_copy_forwarded_after_the_clock_went_back_covers_the_report_it_was_logged_for(
    app: Flask, client: FlaskClient, auth
) -> None:
    """The copy is logged an hour 'before' the report's signature: it was still forwarded."""
    case_id = make_case(client, auth)
    receive_reviewer_report(
        client, auth, case_code(app, case_id), role="secretary", forwarded=False, **PRELIMINARY
    )
    with clock_set_back():
        response = client.post(
            f"/routines/reviewer/cases/{case_id}/forwarded",
            data={"forward-number": "0999-123 46", "forward-at": "2026-01-15T11:50"},
        )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert not dispatch_status(case).needs_fax
        assert unfaxed_reports(case.incident_id) == []
    assert NEEDS_FAX not in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Svar ej faxat" not in client.get("/board/").get_data(as_text=True)


def test_a_copy_logged_from_a_page_opened_before_a_newer_report_came_in_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    """The copy faxed from the page was the report it showed: logged as forwarded, it must not
    cover the definitive report entered since, which the referrer never got."""
    case_id = make_case(client, auth)
    receive_reviewer_report(
        client, auth, case_code(app, case_id), role="secretary", forwarded=False, **PRELIMINARY
    )
    page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    assert client.post(f"/reporting/{case_id}/fax", data=DEFINITIVE).status_code == 302
    sent = {
        "forward-number": "0999-123 46",
        "forward-at": "2026-01-15T13:10",
        "forward-signature": hidden_value(page, "forward-signature"),
        "forward-form_key": hidden_value(page, "forward-form_key"),
    }
    refused = client.post(f"/routines/reviewer/cases/{case_id}/forwarded", data=sent)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "nytt svar har förts in sedan sidan öppnades" in body
    assert 'value="0999-123 46"' in body
    with app.app_context():
        forwarded = select(ReviewerLogEntry).where(ReviewerLogEntry.kind == "forwarded")
        assert db.session.scalars(forwarded).all() == []
    # Sent again from the page that said so (the new report faxed on with it), it is logged.
    sent["forward-signature"] = hidden_value(body, "forward-signature")
    sent["forward-form_key"] = hidden_value(body, "forward-form_key")
    again = client.post(f"/routines/reviewer/cases/{case_id}/forwarded", data=sent)
    assert again.status_code == 302, again.get_data(as_text=True)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert not dispatch_status(case).needs_fax
