"""A note sent to an incident closed meanwhile is refused, its text kept and the why beside it."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import IncidentLogEntry

from .catchup_support import close_incident, incident_ended

NOTE = "IT säger att RIS är uppe 14:00 – ring Bengt på 4711"


def test_a_note_sent_after_the_close_keeps_its_text_beside_the_refusal(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    # A second tablet still shows the open incident's page: its note comes after the close.
    auth.login("admin")
    client.post("/incidents/new", data={"scenario": "integration"})
    incident_id = 1
    other = tablet_factory("bengt")
    assert other.get(f"/incidents/{incident_id}").status_code == 200
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)

    response = other.post(
        f"/incidents/{incident_id}/notes",
        data={"note": NOTE, "form_key": "a-late-notes-form-key"},
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    # The text in a field the user can copy from, the why beside it (not only a flash).
    field_start = page.index('name="note"')
    field = page[field_start : page.index("</textarea>", field_start)]
    assert NOTE in field
    assert "Driftstoppet är avslutat" in page[page.index('id="log"') :]
    assert "Anteckningen sparades inte" in page
    with app.app_context():
        notes = db.session.scalars(
            select(IncidentLogEntry).where(IncidentLogEntry.step_key == "note")
        ).all()
        assert notes == []


def test_a_closed_incident_page_has_no_note_form_when_nothing_was_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    client.post("/incidents/new", data={"scenario": "integration"})
    close_incident(client, auth, 1)
    page = client.get("/incidents/1").get_data(as_text=True)
    assert 'name="note"' not in page
