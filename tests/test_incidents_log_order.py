"""The incident log's latest entry is the one written last, whatever the laptop's clock said.

A tick undone (or the systems' restore undone) after the clock was set back carries an earlier
time than the entry it undoes, and must still stand.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.checklist_keys import STEP_PREFIX, text_key
from webapp.incidents.queries import log_entries, step_states
from webapp.incidents.restored import restored_since
from webapp.models import IncidentLogEntry

from .clock_support import clock_set_back
from .factories import declare_incident

BOOK = STEP_PREFIX + text_key("Boka patienten manuellt på modaliteten och skriv in tillfälligt ID.")


def test_a_step_unticked_with_the_clock_set_back_stands_unticked(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    url = f"/incidents/{incident_id}/steps"
    assert client.post(url, data={"step_key": BOOK, "is_done": "1"}).status_code == 302
    with clock_set_back():
        assert client.post(url, data={"step_key": BOOK, "is_done": "0"}).status_code == 302
    with app.app_context():
        assert not step_states(incident_id)[BOOK].is_done


def test_a_restore_undone_with_the_clock_set_back_stands_undone(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    url = f"/incidents/{incident_id}/restored"
    assert client.post(url, data={"restored": "1"}).status_code == 302
    with clock_set_back():
        assert client.post(url, data={"restored": "0"}).status_code == 302
    with app.app_context():
        assert restored_since(incident_id) is None
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "Systemen fungerar igen sedan" not in page


def test_the_log_lists_entries_newest_written_first_though_the_clock_was_set_back(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    url = f"/incidents/{incident_id}/restored"
    assert client.post(url, data={"restored": "1"}).status_code == 302
    with clock_set_back():
        assert client.post(url, data={"restored": "0"}).status_code == 302
    with app.app_context():
        marks = [
            e.is_done
            for e in log_entries(incident_id)
            if e.step_key == IncidentLogEntry.SYSTEMS_RESTORED
        ]
        assert marks == [False, True]
