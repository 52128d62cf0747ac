"""The copy of the reviewer's answer to the referrer is printed from the report in the app:
it cannot be logged as faxed while the case has no report."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .factories import case_code
from .reviewer_support import _entries
from .routines_support import make_case, receive_reviewer_report

FORWARD = {"forward-number": "0999-123 46", "forward-at": "2026-01-15T11:50"}


def test_copy_is_refused_next_to_the_number_while_the_case_has_no_report(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    receive_reviewer_report(client, auth, case_code(app, case_id), forwarded=False)
    response = client.post(f"/routines/reviewer/cases/{case_id}/forwarded", data=FORWARD)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="forward-number-error"' in page
    assert "Granskarens utlåtande är inte infört i appen" in page
    assert 'value="0999-123 46"' in page
    assert [kind for kind, _n, _p in _entries(app)] == ["report_received"]
    shown = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    assert "Kopian till remittenten är inte loggad" in shown


def test_copy_is_logged_once_the_reviewers_text_is_entered(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    receive_reviewer_report(
        client,
        auth,
        case_code(app, case_id),
        role="secretary",
        forwarded=False,
        state="preliminary",
        findings="Ingen blödning.",
        conclusion="Ingen akut patologi.",
    )
    response = client.post(f"/routines/reviewer/cases/{case_id}/forwarded", data=FORWARD)
    assert response.status_code == 302
    assert [kind for kind, _n, _p in _entries(app)] == ["report_received", "forwarded"]
