"""A faxed reviewer report reaches the referrer: the forwarded copy is logged, or shown missing."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, ReviewerExchange, ReviewerLogEntry

from .catchup_support import close_incident, incident_ended, waive
from .factories import case_code, incident_of
from .routines_support import make_case, receive_reviewer_report


def _receive_without_forwarding(app: Flask, client: FlaskClient, auth, case_id: int) -> None:
    receive_reviewer_report(client, auth, case_code(app, case_id), forwarded=False)


def test_report_not_forwarded_shows_as_missing_and_the_copy_can_be_logged_later(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    # The copy is printed from the text entered in the app: a secretary keys it in.
    receive_reviewer_report(
        client,
        auth,
        case_code(app, case_id),
        role="secretary",
        forwarded=False,
        state="preliminary",
        conclusion="Ingen akut patologi.",
    )
    page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    assert "Kopian till remittenten är inte loggad" in page
    assert 'value="0999-123 46"' in page  # the referral's reply fax, offered
    assert "inte vidarebefordrat" in client.get("/routines/reviewer").get_data(as_text=True)
    response = client.post(
        f"/routines/reviewer/cases/{case_id}/forwarded",
        data={"forward-number": "0999-123 46", "forward-at": "2026-01-15T11:50"},
    )
    assert response.status_code == 302
    with app.app_context():
        kinds = [e.kind for e in db.session.scalars(select(ReviewerLogEntry))]
        assert kinds == ["report_received", "forwarded"]
    page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    assert "Kopian till remittenten är inte loggad" not in page


def test_forwarding_needs_the_fax_number(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    _receive_without_forwarding(app, client, auth, case_id)
    response = client.post(
        f"/routines/reviewer/cases/{case_id}/forwarded",
        data={"forward-number": "", "forward-at": "2026-01-15T11:50"},
    )
    assert response.status_code == 400
    assert 'id="forward-number-error"' in response.get_data(as_text=True)


def test_incident_does_not_end_while_a_reviewer_report_has_not_reached_the_referrer(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    _receive_without_forwarding(app, client, auth, case_id)
    waive(client, auth, case_id)
    auth.login("admin")
    with app.app_context():
        exchange_id = db.session.scalar(select(ReviewerExchange.id))
    client.post(f"/routines/reviewer/queue/{exchange_id}/done", data={"note": "Inlagt"})
    incident_id = incident_of(app, case_id)
    page = close_incident(client, auth, incident_id)
    assert "Kopian av utlåtandet från extern granskare är inte faxad till remittenten" in page
    assert not incident_ended(app, incident_id)


def test_receive_page_sends_staff_to_print_the_identified_report_from_the_case(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("radiographer")
    page = client.get(f"/routines/reviewer/receive?code={code}").get_data(as_text=True)
    assert f'href="/cases/{case_id}#print-heading"' in page
    assert "faxa inte en kopia av det anonymiserade svaret" in page
    assert "Kopiera svaret" not in page
    # Without a known code the instruction stands, with no link to a wrong case.
    page = client.get("/routines/reviewer/receive?code=XYZ").get_data(as_text=True)
    assert "faxa inte en kopia av det anonymiserade svaret" in page
    assert "#print-heading" not in page


def test_copy_not_yet_forwarded_offers_the_identified_report_to_print(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    receive_reviewer_report(
        client,
        auth,
        case_code(app, case_id),
        role="radiologist",
        forwarded=False,
        state="preliminary",
        findings="Ingen blödning.",
        conclusion="Normalt.",
    )
    page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    assert "Kopian till remittenten är inte loggad" in page
    assert f'href="/print/cases/{case_id}/report.pdf"' in page
    assert "Kopiera utlåtandet" not in page


def test_receive_form_does_not_claim_the_copy_was_faxed_before_anyone_did(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("radiographer")
    page = client.get(f"/routines/reviewer/receive?code={code}").get_data(as_text=True)
    checkbox = re.search(r'<input[^>]*name="forwarded"[^>]*>', page)
    assert checkbox is not None and "checked" not in checkbox.group(0)


def test_a_case_whose_reviewer_report_came_back_is_not_cancelled(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Cancelled, its copy to the referrer could no longer be logged, and the incident could
    # never end over it.
    case_id = make_case(client, auth)
    _receive_without_forwarding(app, client, auth, case_id)
    page = client.post(
        f"/cases/{case_id}/cancel", data={"reason": "Dubblett"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "utlåtande från extern granskare" in page
    assert "Dubblett" in page
    with app.app_context():
        assert db.session.get(Case, case_id).status != "cancelled"


def test_copy_not_yet_forwarded_never_offers_the_departments_own_report_as_the_reviewers(
    app: Flask, client: FlaskClient, auth
) -> None:
    """A radiologist of the department signed a preliminary report in the app before the
    reviewer answered: printing the case's report would fax the referrer that one, not the
    reviewer's answer (which cannot be entered over it)."""
    case_id = make_case(client, auth, report="preliminary")
    receive_reviewer_report(client, auth, case_code(app, case_id), forwarded=False)
    page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    assert "Kopian till remittenten är inte loggad" in page
    assert f'href="/print/cases/{case_id}/report.pdf"' not in page
    assert "Ärendet har ett eget utlåtande signerat i appen, inte granskarens." in page
