"""A note sent to an incident closed meanwhile is refused from the log, its text kept on the
laptop as a draft that came in after the end, and the page says so and where it is."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Draft, IncidentLogEntry

from .catchup_support import close_incident, incident_ended
from .factories import audit_count, audit_events_since

NOTE = "IT säger att RIS är uppe 14:00 – ring Bengt på 4711"
KEY = "a-late-notes-form-key"
WRITER = "tablet-a-11111111"


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
    # Not in the log, but not lost: the page says where the text went, as the autosave's
    # status does once the laptop says the outage has ended.
    assert "kom inte med i loggen" in page
    assert "under Utkast har kommit in efter att driftstoppet avslutades" in page
    assert 'id="late-drafts"' in page
    assert "sparades inte" not in page
    with app.app_context():
        notes = db.session.scalars(
            select(IncidentLogEntry).where(IncidentLogEntry.step_key == "note")
        ).all()
        assert notes == []


def _refused_after_close(app: Flask, client: FlaskClient, auth, tablet_factory):
    auth.login("admin")
    client.post("/incidents/new", data={"scenario": "integration"})
    other = tablet_factory("bengt")
    assert other.get("/incidents/1").status_code == 200
    return other


def _drafts(app: Flask) -> list[tuple[str, str, bool]]:
    with app.app_context():
        rows = db.session.scalars(select(Draft).order_by(Draft.id)).all()
        return [(d.form_key, d.data.get("note", ""), d.is_done) for d in rows]


def test_the_refused_note_is_kept_as_a_late_draft(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    other = _refused_after_close(app, client, auth, tablet_factory)
    close_incident(client, auth, 1)
    before = audit_count(app)
    response = other.post("/incidents/1/notes", data={"note": NOTE, "form_key": KEY})
    assert response.status_code == 409
    # Sent before any autosave reached the laptop: the submit's text is the draft.
    assert _drafts(app) == [(KEY, NOTE, False)]
    late = [e for e in audit_events_since(app, before) if e.action == "draft_after_end"]
    assert len(late) == 1 and late[0].incident_id == 1
    # Listed where the drafts that came in after the end are read.
    assert NOTE[:20] in other.get("/drafts/1").get_data(as_text=True)


def test_the_refused_note_goes_on_from_its_own_autosave(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    other = _refused_after_close(app, client, auth, tablet_factory)
    data = {"note": "IT säger", "incident_id": "1", "form_key": KEY}
    body = {"kind": "incident_note", "label": "", "data": data, "writer": WRITER}
    assert other.put(f"/api/drafts/{KEY}", json={**body, "seq": 3, "base": 0}).status_code == 200
    close_incident(client, auth, 1)
    sent = {"note": NOTE, "form_key": KEY, "draft_writer": WRITER, "draft_base": "3"}
    response = other.post("/incidents/1/notes", data={**sent, "draft_seq": "5"})
    assert response.status_code == 409
    # The same copy's later text: one draft, holding what was sent.
    assert _drafts(app) == [(KEY, NOTE, False)]


def test_a_refused_note_never_replaces_another_tablets_text(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    other = _refused_after_close(app, client, auth, tablet_factory)
    data = {"note": "Skrivet på en annan platta", "incident_id": "1", "form_key": KEY}
    body = {"kind": "incident_note", "label": "", "data": data, "writer": "tablet-b-22222222"}
    assert other.put(f"/api/drafts/{KEY}", json={**body, "seq": 6, "base": 4}).status_code == 200
    close_incident(client, auth, 1)
    sent = {"note": NOTE, "form_key": KEY, "draft_writer": WRITER, "draft_base": "4"}
    response = other.post("/incidents/1/notes", data={**sent, "draft_seq": "5"})
    assert response.status_code == 409
    # Both kept: the other tablet's text where it was, this one's as a draft of its own.
    drafts = _drafts(app)
    assert drafts[0] == (KEY, "Skrivet på en annan platta", False)
    assert [(d[1], d[2]) for d in drafts[1:]] == [(NOTE, False)]
    assert drafts[1][0] != KEY


def test_a_closed_incident_page_has_no_note_form_when_nothing_was_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    client.post("/incidents/new", data={"scenario": "integration"})
    close_incident(client, auth, 1)
    page = client.get("/incidents/1").get_data(as_text=True)
    assert 'name="note"' not in page
