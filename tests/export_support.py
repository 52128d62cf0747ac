"""Helpers for the export tests: a batch made by the export service, or fetched as staff do."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from webapp.catchup import exporting
from webapp.catchup.export_views import document_urls_for
from webapp.catchup.exporting import ExportFile
from webapp.extensions import db
from webapp.models import Incident
from webapp.sites import site_config

FORMATS = ("csv", "json", "fhir")


def export_now(app: Flask, incident_id: int, fmt: str, **options: Any) -> ExportFile:
    """The export service's batch of the incident in `fmt`: everything, by nobody, with FHIR
    identifiers under localhost; options override those keywords of export_batch."""
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        assert incident is not None
        keywords = {"user": None, "changed_only": False, "system_base": "http://localhost"}
        return exporting.export_batch(
            incident=incident, config=site_config(incident.site), fmt=fmt, **(keywords | options)
        )


def every_format(app: Flask, incident_id: int) -> dict[str, bytes]:
    """The incident's batch in each format, with the links to its documents."""
    urls = document_urls_for("http://localhost")
    return {fmt: export_now(app, incident_id, fmt, document_urls=urls).content for fmt in FORMATS}


def downloaded(client: FlaskClient, incident_id: int, fmt: str) -> bytes:
    """The batch in `fmt` as the logged-in user downloads it from the catch-up page."""
    response = client.get(f"/catchup/incidents/{incident_id}/export/{fmt}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.data
