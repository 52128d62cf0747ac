"""The catch-up page reads the waiver's drafts only where it draws the waiver's form: a case of
an ended outage, a waived case or a cancelled one is offered no waiver, so none of its drafts."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from webapp.extensions import db
from webapp.models import Incident
from webapp.models.base import utcnow

from .routines_support import make_case
from .statements import sent_statements

KEY = "waiverread-" + "w" * 20


def _draft_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if "FROM draft" in s]


def _typed_waiver(client: FlaskClient, auth) -> int:
    """A case whose waiver a secretary has begun to type (autosaved, still logged in)."""
    case_id = make_case(client, auth)
    auth.login("secretary")
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": "waiver",
            "seq": 1,
            "case_id": str(case_id),
            "data": {"form_key": KEY, "reason": "Registrerad direkt i RIS"},
        },
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    return case_id


def test_an_open_outages_catch_up_page_reads_and_offers_the_waivers_draft(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _typed_waiver(client, auth)
    with sent_statements(app) as statements:
        page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert _draft_reads(statements)
    assert 'data-draft-kind="waiver"' in page and "Registrerad direkt i RIS" in page


def test_an_ended_outages_catch_up_page_reads_no_waiver_draft(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _typed_waiver(client, auth)
    with app.app_context():
        db.session.execute(update(Incident).values(ended_at=utcnow()))
        db.session.commit()
    with sent_statements(app) as statements:
        response = client.get(f"/catchup/cases/{case_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-draft-kind="waiver"' not in page
    assert _draft_reads(statements) == [], statements


def test_a_waived_cases_catch_up_page_reads_no_waiver_draft(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _typed_waiver(client, auth)
    waived = client.post(
        f"/catchup/cases/{case_id}/waive", data={"reason": "Registrerad direkt i RIS"}
    )
    assert waived.status_code == 302
    with sent_statements(app) as statements:
        page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "Undantaget från efterregistreringen" in page
    assert 'data-draft-kind="waiver"' not in page
    assert _draft_reads(statements) == [], statements
