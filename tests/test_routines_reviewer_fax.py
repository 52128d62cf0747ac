"""A case sent to the external reviewer: the anonymised referral faxed and logged with number,
time and user, bad input next to its field, and the list of cases at the reviewer."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, ReviewerLogEntry

from .factories import case_code
from .printforms.conftest import pdf_text, raw_streams
from .reviewer_support import _entries, _fax_to_the_reviewer
from .routines_support import make_case
from .test_routines_reviewer_closed_fax import NIGHT


def test_case_page_prefills_the_reviewer_fax_number(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    # At night, in the reviewer's hours (by day the page names the on-call radiologist).
    monkeypatch.setattr("webapp.routines.reviewer_case_page.local_now", lambda: NIGHT)
    auth.login("radiographer")
    page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    assert 'value="0999-600 01"' in page
    assert f"/print/cases/{case_id}/referral-anon.pdf" in page


def test_anonymised_referral_for_the_reviewer_holds_no_identity(
    client: FlaskClient, auth, app: Flask
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    pdf = client.get(f"/print/cases/{case_id}/referral-anon.pdf").get_data()
    text = pdf_text(pdf)
    for secret in ("Örjan", "Älvström", "19121212", "121212-1212"):
        assert secret not in text
        assert secret.encode() not in raw_streams(pdf)
    assert case_code(app, case_id) in text
    assert "Blödning?" in text


def test_fax_sent_is_logged_with_number_time_and_user(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    response = _fax_to_the_reviewer(client, auth, case_id)
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(ReviewerLogEntry))
        assert (entry.kind, entry.number) == ("fax_sent", "0999-600 01")
        assert entry.user.username == "test-radiographer"
        assert entry.at.strftime("%H:%M") == "10:10"  # 11:10 in Stockholm, stored as UTC
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "reviewer_fax_sent")
        )
        assert event.case_id == case_id


def test_fax_without_number_shows_the_error_next_to_the_field(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    response = _fax_to_the_reviewer(client, auth, case_id, number="")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="fax-number-error"' in page and "Ange faxnumret." in page
    assert 'value="2026-01-15T11:10"' in page


def test_fax_time_in_the_first_hour_of_year_one_is_refused_next_to_the_field(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    response = _fax_to_the_reviewer(client, auth, case_id, sent_at="0001-01-01T00:00")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="fax-sent_at-error"' in page and 'value="0001-01-01T00:00"' in page
    assert _entries(app) == []


def test_another_sites_case_is_not_found(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    assert client.get("/routines/reviewer/cases/999").status_code == 404


def test_the_list_of_cases_at_the_reviewer_names_each_patient_beside_the_code(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Staff forward each answer to its patient's referrer from this list: the code alone is one
    # identifier, and a misread code would send it for another patient.
    case_id = make_case(client, auth)
    _fax_to_the_reviewer(client, auth, case_id)
    page = client.get("/routines/reviewer").get_data(as_text=True)
    table = page.split('id="cases"', 1)[1].split("</table>", 1)[0]
    row = table.split(case_code(app, case_id), 1)[1].split("</tr>", 1)[0]
    assert "Örjan Älvström" in row and "19121212-1212" in row


def test_routines_page_counts_one_case_at_the_reviewer_in_the_singular(
    client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    _fax_to_the_reviewer(client, auth, case_id)
    page = client.get("/routines/").get_data(as_text=True)
    assert "1 ärende i det pågående driftstoppet." in page
    assert "1 ärenden" not in page
