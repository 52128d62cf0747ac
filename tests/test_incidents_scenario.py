"""A second system failing mid-outage: the running outage's scenario changes, staff re-told."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, Incident

from .catchup_support import close_incident, incident_ended
from .factories import declare_incident, referral_data


def test_a_changed_scenario_shows_the_new_routine_and_keeps_the_cases(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    client.post("/cases/new", data=referral_data())
    response = client.post(f"/incidents/{incident_id}/scenario", data={"scenario": "total"})
    assert response.status_code == 302
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "<h1>Totalt avbrott</h1>" in page
    assert "Jourhavande radiolog" in page  # the total outage's own call
    assert "Scenario ändrat: Integrationsmotorn nere" in page  # in the log, with who and when
    with app.app_context():
        assert db.session.scalar(select(Case.incident_id)) == incident_id
        assert db.session.get(Incident, incident_id).scenario == "total"
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "incident_scenario")
        )
        assert (
            event is not None
            and "Integrationsmotorn nere (remisser når inte RIS) → Totalt avbrott" in event.detail
        )


def test_after_a_changed_scenario_tib_is_to_be_informed_again(client: FlaskClient, auth) -> None:
    # The wards were told how to refer for the first outage; what they must do now differs.
    auth.login("radiographer")
    incident_id = declare_incident(client)
    client.post(
        f"/incidents/{incident_id}/steps", data={"step_key": "tib_informed", "is_done": "1"}
    )
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert 'aria-pressed="true" data-step="tib_informed"' in page
    client.post(f"/incidents/{incident_id}/scenario", data={"scenario": "om_ris"})
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert 'aria-pressed="false" data-step="tib_informed"' in page


def test_a_scenario_already_open_on_its_own_is_not_taken_twice(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    first = declare_incident(client)
    second = declare_incident(client, "om_ris")
    response = client.post(f"/incidents/{first}/scenario", data={"scenario": "om_ris"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "pågår redan" in page and f"/incidents/{second}" in page
    with app.app_context():
        assert db.session.get(Incident, first).scenario == "integration"


def test_an_unknown_scenario_is_refused_next_to_the_field(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    response = client.post(f"/incidents/{incident_id}/scenario", data={"scenario": "nonsense"})
    assert response.status_code == 400
    assert "Inte ett giltigt val" in response.get_data(as_text=True)


def test_a_change_sent_after_the_close_says_why_it_was_refused(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    # A tablet still showing the running outage changes its scenario after an admin closed it:
    # the ended incident's page has no scenario form to stand the refusal beside.
    auth.login("radiographer")
    incident_id = declare_incident(client)
    tablet = tablet_factory("anna")
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)
    response = tablet.post(f"/incidents/{incident_id}/scenario", data={"scenario": "total"})
    assert response.status_code == 400
    assert "Driftstoppet är avslutat." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Incident, incident_id).scenario == "integration"


def test_declaring_beside_a_running_outage_offers_to_change_its_scenario(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    page = client.get("/incidents/new").get_data(as_text=True)
    assert "Integrationsmotorn nere" in page and "Byt scenario" in page
    assert f"/incidents/{incident_id}#scenario" in page


def test_a_board_left_open_reloads_when_the_scenario_changes(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    page = client.get("/board/").get_data(as_text=True)
    assert "scenario=integration" in page  # the refresh names the scenario the heading shows
    rows = f"/board/rows?incident={incident_id}&scenario=integration"
    assert client.get(rows).status_code == 200
    client.post(f"/incidents/{incident_id}/scenario", data={"scenario": "total"})
    # Its heading still names the old outage: the page reloads to name the new one.
    assert client.get(rows).status_code == 302
