"""An incident ends only when nothing is outstanding: cases, urgent calls, faxed reports."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, Incident, ReviewerExchange

from .routines_support import make_case, report_form


def _incident(app: Flask, case_id: int) -> Incident:
    with app.app_context():
        case = db.session.get(Case, case_id)
        incident = db.session.get(Incident, case.incident_id)
        db.session.expunge(incident)
        return incident


def _waive(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("secretary")
    response = client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Inlagd i RIS"})
    assert response.status_code == 302


def _close(client: FlaskClient, auth, incident_id: int, **confirm: str) -> str:
    auth.login("admin")
    response = client.post(
        f"/catchup/incidents/{incident_id}/close", data=confirm, follow_redirects=True
    )
    return response.get_data(as_text=True)


def _fax(client: FlaskClient, auth, case_id: int) -> None:
    """The signed report faxed to the referrer, and logged by the secretary."""
    auth.login("secretary")
    response = client.post(
        f"/reporting/{case_id}/dispatch",
        data={"fax_number": "035-123 45 67", "faxed_at": "2026-01-15T11:30"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_incident_does_not_end_while_an_urgent_call_is_not_logged(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiologist")
    data = report_form("definitive", "u" * 20)
    data["is_urgent"] = "y"
    client.post(f"/reporting/{case_id}", data=data)
    _waive(client, auth, case_id)
    incident = _incident(app, case_id)
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{incident.id}").get_data(as_text=True)
    assert "Samtalet till remittenten om det akuta fyndet är inte loggat" in batch
    assert "Avsluta och spara slutlig avstämning" not in batch
    page = _close(client, auth, incident.id)
    assert "Samtalet till remittenten om det akuta fyndet är inte loggat" in page
    assert _incident(app, case_id).ended_at is None
    auth.login("radiologist")
    client.post(
        f"/reporting/{case_id}/call",
        data={"called_person": "Dr Åberg", "called_at": "2026-01-15T11:20"},
    )
    _fax(client, auth, case_id)
    _close(client, auth, incident.id)
    assert _incident(app, case_id).ended_at is not None


def test_incident_does_not_end_while_a_faxed_reviewer_report_waits_for_the_ris_admin(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    with app.app_context():
        code = db.session.get(Case, case_id).code
    auth.login("radiographer")
    client.post(
        "/routines/reviewer/receive",
        data={
            "case_code": code,
            "received_at": "2026-01-15T03:40",
            "reviewer_name": "Dr Granskare",
            "forwarded": "y",
        },
    )
    _waive(client, auth, case_id)
    incident = _incident(app, case_id)
    page = _close(client, auth, incident.id)
    assert "RIS-administratören har inte hanterat det faxade utlåtandet" in page
    assert _incident(app, case_id).ended_at is None
    with app.app_context():
        exchange_id = db.session.query(ReviewerExchange.id).scalar()
    client.post(f"/routines/reviewer/queue/{exchange_id}/done", data={"note": "Inlagt"})
    _fax(client, auth, case_id)
    _close(client, auth, incident.id)
    assert _incident(app, case_id).ended_at is not None


def test_incident_with_an_unfaxed_signed_report_ends_only_when_the_admin_confirms(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    _waive(client, auth, case_id)
    incident = _incident(app, case_id)
    with app.app_context():
        code = db.session.get(Case, case_id).code
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{incident.id}").get_data(as_text=True)
    assert "Signerade svar som inte är faxade till remittenten (1)" in batch
    assert 'name="confirm_unfaxed"' in batch
    page = _close(client, auth, incident.id)
    assert "1 signerade svar är inte loggade som faxade till remittenten" in page
    assert code in page
    assert _incident(app, case_id).ended_at is None
    _close(client, auth, incident.id, confirm_unfaxed="y")
    assert _incident(app, case_id).ended_at is not None
    with app.app_context():
        detail = db.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "incident_end")
        )
    assert detail == f"svar ej loggade som faxade: {code}"


def test_incident_with_every_signed_report_faxed_ends_without_a_confirmation(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    _waive(client, auth, case_id)
    _fax(client, auth, case_id)
    incident = _incident(app, case_id)
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{incident.id}").get_data(as_text=True)
    assert "Signerade svar som inte är faxade" not in batch
    assert 'name="confirm_unfaxed"' not in batch
    _close(client, auth, incident.id)
    assert _incident(app, case_id).ended_at is not None


def test_every_outstanding_task_the_secretary_sees_opens_for_her(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    with app.app_context():
        code = db.session.get(Case, case_id).code
    auth.login("radiographer")
    client.post(
        "/routines/reviewer/receive",
        data={"case_code": code, "received_at": "2026-01-15T03:40", "reviewer_name": "Dr G"},
    )
    auth.login("secretary")
    page = client.get(f"/catchup/incidents/{_incident(app, case_id).id}").get_data(as_text=True)
    tasks = page.split('id="open-tasks"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'href="([^"]+)"', tasks)
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_an_unfaxed_report_and_an_open_task_name_the_patient_beside_the_code(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    with app.app_context():
        code = db.session.get(Case, case_id).code
    auth.login("radiographer")
    client.post(
        "/routines/reviewer/receive",
        data={
            "case_code": code,
            "received_at": "2026-01-15T03:40",
            "reviewer_name": "Dr Granskare",
            "forwarded": "y",
        },
    )
    _waive(client, auth, case_id)
    incident = _incident(app, case_id)
    named = f"{code} (Örjan Älvström, 19121212-1212)"
    page = _close(client, auth, incident.id)
    assert f"{named}: RIS-administratören har inte hanterat" in page
    batch = client.get(f"/catchup/incidents/{incident.id}").get_data(as_text=True)
    for list_id in ("open-tasks", "unfaxed"):
        listed = batch.split(f'id="{list_id}"', 1)[1].split("</ul>", 1)[0]
        assert code in listed and "Örjan Älvström" in listed and "19121212-1212" in listed
    with app.app_context():
        exchange_id = db.session.query(ReviewerExchange.id).scalar()
    client.post(f"/routines/reviewer/queue/{exchange_id}/done", data={"note": "Inlagt"})
    page = _close(client, auth, incident.id)
    assert f"inte loggade som faxade till remittenten: {named}." in page
