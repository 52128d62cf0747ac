"""An incident ends only when nothing is outstanding: cases, urgent calls, faxed reports."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, ReviewerExchange

from .catchup_support import close_incident, fax_to_referrer, incident_ended, waive
from .factories import case_code, incident_of
from .routines_support import make_case, receive_reviewer_report, report_form


def _fax(client: FlaskClient, auth, case_id: int) -> None:
    """The signed report faxed to the referrer, and logged by the secretary."""
    auth.login("secretary")
    fax_to_referrer(client, case_id)


def test_incident_does_not_end_while_an_urgent_call_is_not_logged(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiologist")
    data = report_form("definitive", "u" * 20)
    data["is_urgent"] = "y"
    client.post(f"/reporting/{case_id}", data=data)
    waive(client, auth, case_id)
    incident_id = incident_of(app, case_id)
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert "Samtalet till remittenten om det akuta fyndet är inte loggat" in batch
    assert "Avsluta och spara slutlig avstämning" not in batch
    page = close_incident(client, auth, incident_id)
    assert "Samtalet till remittenten om det akuta fyndet är inte loggat" in page
    assert not incident_ended(app, incident_id)
    auth.login("radiologist")
    client.post(
        f"/reporting/{case_id}/call",
        data={"called_person": "Dr Åberg", "called_at": "2026-01-15T11:20"},
    )
    _fax(client, auth, case_id)
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)


def test_incident_does_not_end_while_a_faxed_reviewer_report_waits_for_the_ris_admin(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    receive_reviewer_report(client, auth, case_code(app, case_id))
    waive(client, auth, case_id)
    incident_id = incident_of(app, case_id)
    page = close_incident(client, auth, incident_id)
    assert "RIS-administratören har inte hanterat det faxade utlåtandet" in page
    assert not incident_ended(app, incident_id)
    with app.app_context():
        exchange_id = db.session.query(ReviewerExchange.id).scalar()
    client.post(f"/routines/reviewer/queue/{exchange_id}/done", data={"note": "Inlagt"})
    _fax(client, auth, case_id)
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)


def test_incident_with_an_unfaxed_signed_report_ends_only_when_the_admin_confirms(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    waive(client, auth, case_id)
    incident_id = incident_of(app, case_id)
    code = case_code(app, case_id)
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert "Signerade svar som inte är faxade till remittenten (1)" in batch
    assert 'name="confirm_unfaxed"' in batch
    page = close_incident(client, auth, incident_id)
    assert "1 signerat svar är inte loggat som faxat till remittenten" in page
    assert "bekräfta att svaret når remittenten via RIS" in page
    assert code in page
    assert not incident_ended(app, incident_id)
    close_incident(client, auth, incident_id, confirm_unfaxed="y")
    assert incident_ended(app, incident_id)
    with app.app_context():
        detail = db.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "incident_end")
        )
    # The helper's confirmation of the routine's notifications follows it.
    assert detail.split("; ")[0] == f"svar ej loggade som faxade: {code}"


def test_incident_with_every_signed_report_faxed_ends_without_a_confirmation(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    waive(client, auth, case_id)
    _fax(client, auth, case_id)
    incident_id = incident_of(app, case_id)
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert "Signerade svar som inte är faxade" not in batch
    assert 'name="confirm_unfaxed"' not in batch
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)


def test_every_outstanding_task_the_secretary_sees_opens_for_her(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    receive_reviewer_report(client, auth, case_code(app, case_id), forwarded=False)
    auth.login("secretary")
    page = client.get(f"/catchup/incidents/{incident_of(app, case_id)}").get_data(as_text=True)
    tasks = page.split('id="open-tasks"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'href="([^"]+)"', tasks)
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_an_unfaxed_report_and_an_open_task_name_the_patient_beside_the_code(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    code = case_code(app, case_id)
    receive_reviewer_report(client, auth, code)
    waive(client, auth, case_id)
    incident_id = incident_of(app, case_id)
    named = f"{code} (Örjan Älvström, 19121212-1212)"
    page = close_incident(client, auth, incident_id)
    assert f"{named}: RIS-administratören har inte hanterat" in page
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    for list_id in ("open-tasks", "unfaxed"):
        listed = batch.split(f'id="{list_id}"', 1)[1].split("</ul>", 1)[0]
        assert code in listed and "Örjan Älvström" in listed and "19121212-1212" in listed
    with app.app_context():
        exchange_id = db.session.query(ReviewerExchange.id).scalar()
    client.post(f"/routines/reviewer/queue/{exchange_id}/done", data={"note": "Inlagt"})
    page = close_incident(client, auth, incident_id)
    assert f"inte loggat som faxat till remittenten: {named}." in page
