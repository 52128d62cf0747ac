"""A closed incident's page says the catch-up is done, not that it is under way."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import close_incident, incident_ended


def test_a_closed_incident_says_the_catchup_is_done_and_by_whom(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    client.post("/incidents/new", data={"scenario": "integration"})
    incident_id = 1
    restored = client.post(f"/incidents/{incident_id}/restored", data={"restored": "1"})
    assert restored.status_code == 302
    assert "efterregistrering pågår" in client.get(f"/incidents/{incident_id}").get_data(
        as_text=True
    )
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)
    page = html.unescape(client.get(f"/incidents/{incident_id}").get_data(as_text=True))
    assert "efterregistrering pågår" not in page
    assert "läggs in i RIS" not in page
    assert "Efterregistreringen är klar" in page and "Testa Admin Åström" in page
