"""A note written in the incident log as the incident is closed (real concurrent requests).

The log of an ended incident is final: the note is either in it before the end, or refused.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Incident, IncidentLogEntry

from .catchup_support import with_page_lists
from .row_held import sent_while_row_held


def test_a_note_written_as_the_incident_is_closed_is_not_logged_after_its_end(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    incident_id = int(location.rsplit("/", 1)[-1])
    admin = tablet_factory("adm-asa", role="admin")
    sent = with_page_lists(admin, incident_id, {"confirm_unnotified": "y"})
    sent_while_row_held(
        app,
        "incident",
        incident_id,
        [
            lambda: admin.post(f"/catchup/incidents/{incident_id}/close", data=sent),
            lambda: client.post(f"/incidents/{incident_id}/notes", data={"note": "IT: klart"}),
        ],
    )
    with app.app_context():
        ended_at = db.session.scalar(select(Incident.ended_at).where(Incident.id == incident_id))
        assert ended_at is not None
        notes = select(IncidentLogEntry.id).where(
            IncidentLogEntry.incident_id == incident_id, IncidentLogEntry.step_key == "note"
        )
        assert db.session.scalars(notes).all() == []
