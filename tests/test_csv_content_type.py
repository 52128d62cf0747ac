"""Every CSV download says its type and charset once: `text/csv; charset=utf-8`.

A charset given twice is a malformed header some importers refuse or read as another charset.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ExportBatch, Incident

from .factories import referral_data

CSV = "text/csv; charset=utf-8"


def test_the_catchup_csv_and_its_export_again_say_their_charset_once(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    assert client.post("/cases/new", data=referral_data()).status_code == 302
    auth.logout()
    auth.login("secretary")
    with app.app_context():
        incident_id = db.session.scalar(select(Incident.id))
    response = client.get(f"/catchup/incidents/{incident_id}/export/csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == CSV
    with app.app_context():
        export_id = db.session.scalar(select(ExportBatch.id))
    again = client.get(f"/catchup/incidents/{incident_id}/exports/{export_id}")
    assert again.status_code == 200
    assert again.headers["Content-Type"] == CSV


def test_the_access_log_csv_says_its_charset_once(client: FlaskClient, auth) -> None:
    auth.login("admin")
    response = client.get("/admin/audit.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == CSV
