"""The deviation report's number typed on the follow-up autosaves as a draft of its incident:
the page marks the form for drafts.js, ?draft= continues it on that incident's follow-up only,
and recording the number finishes the draft in the same transaction."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.draft_kinds import DRAFT_KINDS, continue_url
from webapp.extensions import db
from webapp.models import Draft, Incident

from .factories import DEFAULT_PIN
from .followup_support import seed_ended_incident

KEY = "deviation-" + "v" * 20
NUMBER = "AV-2026-4711"


def _login(client: FlaskClient, username: str) -> None:
    response = client.post("/login", data={"username": username, "secret": DEFAULT_PIN})
    assert response.status_code == 302


def _typed(incident_id: int) -> dict[str, str]:
    return {"deviation_number": NUMBER, "incident_id": str(incident_id), "form_key": KEY}


def _save_draft(client: FlaskClient, incident_id: int) -> None:
    body = {
        "kind": "deviation",
        "seq": 1,
        "label": "x",
        "incident_id": incident_id,
        "data": _typed(incident_id),
    }
    saved = client.put(f"/api/drafts/{KEY}", json=body)
    assert saved.status_code == 200, saved.get_data(as_text=True)


def test_the_deviation_form_autosaves_as_a_draft_of_its_incident(
    app: Flask, client: FlaskClient
) -> None:
    incident_id = seed_ended_incident(app).incident_id
    _login(client, "fu-sara")
    page = client.get(f"/incidents/{incident_id}/followup").get_data(as_text=True)
    match = re.search(r'<form[^>]*data-draft-kind="deviation"[^>]*>.*?</form>', page, re.S)
    assert match is not None
    form = match.group(0)
    assert 'class="form clinical' in form
    assert f'name="incident_id" value="{incident_id}"' in form
    assert "data-case-id" not in form
    assert 'class="draft-status' in form


def test_a_deviation_draft_is_continued_on_its_incidents_followup(
    app: Flask, client: FlaskClient
) -> None:
    incident_id = seed_ended_incident(app).incident_id
    _login(client, "fu-sara")
    _save_draft(client, incident_id)
    with app.test_request_context():
        url = continue_url("deviation", KEY, None, "secretary", str(incident_id))
        assert continue_url("deviation", KEY, None, "radiographer", str(incident_id)) == ""
    assert url == f"/incidents/{incident_id}/followup?draft={KEY}"
    page = client.get(url).get_data(as_text=True)
    assert f'value="{NUMBER}"' in page
    assert f'value="{KEY}"' in page


def test_recording_the_number_finishes_its_draft(app: Flask, client: FlaskClient) -> None:
    incident_id = seed_ended_incident(app).incident_id
    _login(client, "fu-sara")
    _save_draft(client, incident_id)
    sent = client.post(f"/incidents/{incident_id}/followup/deviation", data=_typed(incident_id))
    assert sent.status_code == 302, sent.get_data(as_text=True)
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.form_key == KEY))
        assert draft is not None and draft.is_done
        assert db.session.get(Incident, incident_id).deviation_number == NUMBER  # type: ignore[union-attr]
    # Recorded after the close: its draft is no late one, nor does it hold the close.
    assert DRAFT_KINDS["deviation"].ends_with_incident is False
