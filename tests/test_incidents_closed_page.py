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


def test_a_second_admin_closing_it_too_is_told_it_is_closed_already(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    # Two admins at the batch page at once: the second close, from a page of its own, is
    # refused, and the page says why beside who closed it.
    auth.login("admin")
    client.post("/incidents/new", data={"scenario": "integration"})
    incident_id = 1
    other = tablet_factory("anna", role="admin")
    assert other.get(f"/catchup/incidents/{incident_id}").status_code == 200
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)
    response = other.post(
        f"/catchup/incidents/{incident_id}/close",
        data={"confirm_unnotified": "y", "form_key": "a-second-admins-key"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Driftstoppet är redan avslutat." in page
    assert "Testa Admin Åström" in page
