"""The reviewer page's "message sent" tick, made on a page in English: the incident log stores
its label in Swedish (paper and exports print it so) and an English page shows it in English."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import IncidentLogEntry

from .factories import declare_incident
from .other_site_support import visible


def _admin_tick_key(page: str) -> str:
    """The key the reviewer page's "message sent" tick posts."""
    section = page.split('id="admins"', 1)[1].split("</section>", 1)[0]
    found = re.search(r'name="key" value="([^"]*)"', section)
    assert found is not None
    return found[1]


def _english(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "en", "next": "/"})


def _tick_in_english(client: FlaskClient, auth: Any) -> int:
    auth.login("radiographer")
    incident_id = declare_incident(client, "external_reviewer")
    _english(client)
    key = _admin_tick_key(client.get("/routines/reviewer").get_data(as_text=True))
    tick = {"key": key, "is_done": "1", "incident_id": incident_id, "form_key": "e" * 20}
    assert client.post("/routines/reviewer/steps", data=tick).status_code == 302
    return incident_id


def _stored_labels(app: Flask, incident_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(IncidentLogEntry.label).where(IncidentLogEntry.incident_id == incident_id)
            )
        )


def test_the_message_sent_tick_from_an_english_page_is_stored_in_swedish(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    incident_id = _tick_in_english(client, auth)
    labels = _stored_labels(app, incident_id)
    assert "Meddelande skickat till RIS/PACS-administratörer" in labels
    assert not [label for label in labels if label.startswith("Message sent")]


def test_the_message_sent_tick_shows_in_english_on_an_english_incident_page(
    client: FlaskClient, auth: Any
) -> None:
    incident_id = _tick_in_english(client, auth)
    page = " ".join(visible(client.get(f"/incidents/{incident_id}").get_data(as_text=True)).split())
    # The contact's name is the site's own word: Swedish in the English sentence.
    assert "Message sent to RIS/PACS-administratörer" in page
    assert "Meddelande skickat till" not in page
