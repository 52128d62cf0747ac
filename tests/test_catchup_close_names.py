"""A close refused for what is still outstanding names each case (code and patient, linked to
its catch-up page) and each unsent form (linked to the form), and the count of any beyond."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import close_incident, incident_ended, new_case, reconcile_world
from .catchup_world_support import world as world  # the fixture
from .factories import case_code, incident_of
from .test_incidents_close_drafts import EXAM_KEY, _exam_draft


def _error(page: str) -> str:
    return html.unescape(page.split('id="close-error"', 1)[1].split("</div>", 1)[0])


def test_the_refusal_names_and_links_the_case_not_reconciled(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    case_id = new_case(client, auth)
    incident_id = incident_of(app, case_id)
    page = close_incident(client, auth, incident_id)
    assert not incident_ended(app, incident_id)
    error = _error(page)
    assert "1 ärende är inte avstämt" in error
    assert f'href="/catchup/cases/{case_id}"' in error
    assert case_code(app, case_id) in error and "Örjan Älvström" in error


def test_the_refusal_of_many_cases_names_some_and_counts_the_rest(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    ids = [new_case(client, auth, key_suffix=f"m{n}") for n in range(12)]
    error = _error(close_incident(client, auth, incident_of(app, ids[0])))
    assert "12 ärenden är inte avstämda" in error
    assert error.count('href="/catchup/cases/') == 10
    assert "och 2 till" in error


def test_the_refusal_links_the_unsent_draft(app: Flask, client: FlaskClient, auth, world) -> None:
    reconcile_world(client, auth, world)
    first = world["ids"][0]
    with app.app_context():
        _exam_draft(client, auth, first)
    error = _error(close_incident(client, auth, world["incident_id"]))
    assert f'href="/cases/{first}/exam?draft={EXAM_KEY}"' in error
    assert "Örjan Älvström" in error
