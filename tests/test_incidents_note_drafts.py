"""A note typed into the incident log autosaves as a draft of its incident: the page marks the
form for drafts.js, ?draft= continues it on that incident's page only, sending the note finishes
the draft in the same transaction, and a note never sent holds the incident's close."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.draft_kinds import DRAFT_KINDS, continue_url
from webapp.extensions import db
from webapp.incidents.close_drafts import unsent_drafts
from webapp.models import Draft, IncidentLogEntry

from .factories import declare_incident

KEY = "incidentnote-" + "n" * 20
OTHER_KEY = "incidentnote-" + "m" * 20
NOTE = "IT säger att RIS är uppe 14:00 – Åsa ringer tillbaka"


def _typed(incident_id: int, key: str = KEY, note: str = NOTE) -> dict[str, str]:
    return {"note": note, "incident_id": str(incident_id), "form_key": key}


def _save_draft(client: FlaskClient, incident_id: int, key: str = KEY, note: str = NOTE) -> None:
    body = {
        "kind": "incident_note",
        "seq": 1,
        "label": "Anteckning",
        "incident_id": incident_id,
        "data": _typed(incident_id, key, note),
    }
    saved = client.put(f"/api/drafts/{key}", json=body)
    assert saved.status_code == 200, saved.get_data(as_text=True)


def _note_form(page: str) -> str:
    match = re.search(r'<form[^>]*data-draft-kind="incident_note"[^>]*>.*?</form>', page, re.S)
    assert match is not None, "no autosaved note form on the page"
    return match.group(0)


def test_the_note_form_autosaves_as_a_draft_of_its_incident(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    form = _note_form(client.get(f"/incidents/{incident_id}").get_data(as_text=True))
    assert 'class="form clinical' in form
    assert f'data-incident-id="{incident_id}"' in form
    assert f'name="incident_id" value="{incident_id}"' in form
    assert "data-case-id" not in form
    assert 'class="draft-status' in form


def test_a_note_draft_comes_back_in_the_box_on_its_incidents_page(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    _save_draft(client, incident_id)
    with app.test_request_context():
        url = continue_url("incident_note", KEY, None, "radiographer", str(incident_id))
    assert url == f"/incidents/{incident_id}?draft={KEY}"
    form = html.unescape(_note_form(client.get(url).get_data(as_text=True)))
    assert NOTE in form.split("<textarea", 1)[1]
    assert f'value="{KEY}"' in form


def test_a_note_draft_of_another_incident_is_not_continued(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    drill_id = declare_incident(client, drill=True)
    _save_draft(client, incident_id)
    # Sent from the drill's page, the note would be logged in the wrong outage.
    page = html.unescape(client.get(f"/incidents/{drill_id}?draft={KEY}").get_data(as_text=True))
    assert NOTE not in _note_form(page)
    assert f'value="{KEY}"' not in page


def test_sending_the_note_finishes_its_draft(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    _save_draft(client, incident_id)
    sent = client.post(f"/incidents/{incident_id}/notes", data=_typed(incident_id))
    assert sent.status_code == 302, sent.get_data(as_text=True)
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.form_key == KEY))
        assert draft is not None and draft.is_done
        notes = db.session.scalars(
            select(IncidentLogEntry.note).where(IncidentLogEntry.step_key == "note")
        ).all()
        assert notes == [NOTE]
    # The next page tells the tablet its copy can go.
    assert f'data-saved-form="{KEY}"' in client.get(sent.headers["Location"]).get_data(as_text=True)


def test_another_note_draft_of_the_incident_is_offered_beside_the_form(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    drill_id = declare_incident(client, drill=True)
    _save_draft(client, incident_id, OTHER_KEY, "Skrivet på den andra plattan")
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "Osparad ändring från" in page
    assert f"/incidents/{incident_id}?draft={OTHER_KEY}#log" in html.unescape(page)
    # Not on another incident's page: it is no note of that one.
    assert OTHER_KEY not in client.get(f"/incidents/{drill_id}").get_data(as_text=True)


def test_an_unsent_note_holds_the_incidents_close(app: Flask, client: FlaskClient, auth) -> None:
    # Refused once the incident has ended (NOTE_AFTER_END): typed and never sent, it is
    # something someone meant to log before the close, as a cancel's reason is.
    auth.login("radiographer")
    incident_id = declare_incident(client)
    _save_draft(client, incident_id)
    assert DRAFT_KINDS["incident_note"].ends_with_incident is True
    with app.app_context():
        names = [d.name for d in unsent_drafts(incident_id)]
    assert names == ["Anteckning i loggen Anteckning (av Testa Radiographer Åström)"]


def test_a_note_from_an_older_copy_links_to_the_newer_one(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Tablet B typed on in the draft after the page of tablet A was drawn: A's send is refused,
    # and the choice beside its submit opens B's text on this incident's page.
    auth.login("radiographer")
    incident_id = declare_incident(client)
    body = {"kind": "incident_note", "label": "x", "data": _typed(incident_id)}
    for seq, writer, base in ((4, "tablet-a-11111111", 0), (6, "tablet-b-22222222", 4)):
        saved = client.put(
            f"/api/drafts/{KEY}", json={**body, "seq": seq, "writer": writer, "base": base}
        )
        assert saved.status_code == 200, saved.get_data(as_text=True)
    older = _typed(incident_id) | {
        "draft_writer": "tablet-a-11111111",
        "draft_base": "4",
        "draft_seq": "4",
    }
    refused = client.post(f"/incidents/{incident_id}/notes", data=older)
    assert refused.status_code == 409
    form = html.unescape(_note_form(refused.get_data(as_text=True)))
    assert "Öppna den nyare versionen" in form
    assert f'href="/incidents/{incident_id}?draft={KEY}"' in form
    with app.app_context():
        assert db.session.scalar(select(Draft.is_done).where(Draft.form_key == KEY)) is False
