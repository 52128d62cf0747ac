"""The access log names printed sheets as the staff call them, in Swedish."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case

from .factories import exam_data, referral_data, report_data


def _print_details(app: Flask) -> list[str]:
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "print").order_by(AuditEvent.id)
        ).all()
        return [e.detail for e in events]


def test_printed_sheets_are_logged_by_their_swedish_names(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration", "is_drill": "y"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    auth.logout()
    auth.login("radiologist")
    client.post(
        location.replace("/cases/", "/reporting/"), data=report_data("preliminary", "p" * 20)
    )
    with app.app_context():
        case = db.session.scalar(select(Case))
        case_id, incident_id = case.id, case.incident_id
    assert client.get(f"/print/cases/{case_id}/all.pdf").status_code == 200
    assert client.get(f"/print/cases/{case_id}/exam.pdf").status_code == 200
    assert client.get(f"/print/incidents/{incident_id}/list.pdf").status_code == 200
    assert client.get(f"/print/incidents/{incident_id}/list.pdf?masked=0").status_code == 200
    assert _print_details(app) == [
        "Försättsblad röd back v1, Remiss v1, Dokumentation v1, Utlåtande v1",
        "Dokumentation v1 (kopia)",
        "Ärendelista (maskerad) utskrift 1",
        "Ärendelista (fullständig) utskrift 1",
    ]
