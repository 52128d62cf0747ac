"""An ended incident's cases are changed in RIS only (an urgent call made is still recorded), and
a case with a signed report is not cancelled."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.incidents.closing import outstanding_count
from webapp.models import AuditEvent, Case
from webapp.models import Report as ReportModel

from .catchup_support import close_incident, incident_ended, waive
from .catchup_world_support import NEW_PATIENT, _close_case, _reopens, _shown, _status
from .catchup_world_support import world as world  # the fixture
from .factories import exam_data, referral_data

ENDED = "Driftstoppet är avslutat. Ändringar i ärendet görs nu i RIS."


def _ended_world(app: Flask, client: FlaskClient, auth, world) -> int:
    """The world's incident closed with its first case keyed and checked; returns that case."""
    first, second = world["ids"]
    waive(client, auth, second, "Remitterad vidare")  # and confirmed by a second secretary
    _close_case(client, auth, app, first)
    close_incident(client, auth, world["incident_id"], confirm_unfaxed="y")
    assert incident_ended(app, world["incident_id"])
    return first


def test_an_ended_incidents_cases_are_not_changed_here(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = _ended_world(app, client, auth, world)
    # Up to date, so only the end of the incident can refuse them.
    exam_shown, ref_shown = _shown(app, case_id, "exam"), _shown(app, case_id, "referral")
    attempts = {
        "secretary": [
            (f"/catchup/cases/{case_id}/steps", {"step": "booked", "is_done": "0"}),
            (f"/catchup/cases/{case_id}/ris", {"ris_accession": "X1", "ris_exam_number": "1"}),
            (f"/catchup/cases/{case_id}/waive", {"reason": "Sent påkommet"}),
        ],
        "radiologist": [
            (f"/reporting/{case_id}/addendum", {"text": "Sent tillägg."}),
        ],
        "radiographer": [
            (f"/cases/{case_id}/exam", exam_data(key_suffix="late", dlp_mgycm="999") | exam_shown),
            (
                f"/cases/{case_id}/referral",
                referral_data(key_suffix="late", question="Ny?") | ref_shown,
            ),
            (f"/cases/{case_id}/identity", NEW_PATIENT),
            (f"/cases/{case_id}/cancel", {"reason": "Fel patient"}),
        ],
    }
    with app.app_context():
        before = db.session.scalar(select(Case.version).where(Case.id == case_id))
    for role, posts in attempts.items():
        auth.logout()
        auth.login(role)
        for url, data in posts:
            page = client.post(url, data=data, follow_redirects=True).get_data(as_text=True)
            assert ENDED in page, url
    assert _status(app, case_id) == "closed"
    with app.app_context():
        assert outstanding_count(world["incident_id"]) == 0
        assert db.session.scalar(select(Case.version).where(Case.id == case_id)) == before
        report = db.session.scalar(select(ReportModel).where(ReportModel.case_id == case_id))
        assert not report.addenda
        assert float(db.session.get(Case, case_id).exam.dlp_mgycm) != 999
    assert _reopens(app) == []


def test_an_urgent_call_made_is_still_recorded_after_the_end(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = _ended_world(app, client, auth, world)
    auth.logout()
    auth.login("radiologist")
    call = {
        "called_person": "Dr Jour",
        "phone_number": "010-123 45",
        "called_at": "2026-01-15T11:20",
    }
    assert client.post(f"/reporting/{case_id}/call", data=call).status_code == 302
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "urgent_call" in actions


def test_a_case_with_a_signed_report_is_not_cancelled(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    auth.logout()
    auth.login("radiographer")
    for case_id in world["ids"]:  # definitive, preliminary
        page = client.post(
            f"/cases/{case_id}/cancel",
            data={"confirm_ris_pacs": "y", "reason": "Dubblett"},
            follow_redirects=True,
        )
        assert "kan inte makuleras" in page.get_data(as_text=True)
        assert _status(app, case_id) != "cancelled"


def test_a_case_without_a_report_can_still_be_cancelled(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    client.post(
        f"/cases/{case_id}/cancel",
        data={"confirm_ris_pacs": "y", "reason": "Undersökningen avbröts"},
    )
    assert _status(app, case_id) == "cancelled"
