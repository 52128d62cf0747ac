"""The audit log's details name steps, routes, recipients and priorities as staff see them on
the screens (the site's own labels where it configures them), not by their stored codes."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.checklist_keys import text_key

from .catchup_support import save_accession
from .catchup_world_support import world as world  # the fixture
from .factories import audit_events, declare_incident, paper_report_data
from .routines_support import make_case, transfer_data


def test_a_catchup_tick_is_audited_with_the_steps_name(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    save_accession(client, case_id)  # booked with it
    client.post(f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "0"})
    client.post(f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "1"})
    details = [e.detail for e in audit_events(app, "catchup_step")]
    assert details == [
        "Bokad i RIS: klar (med accessionsnumret)",
        "Bokad i RIS: ångrad",
        "Bokad i RIS: klar",
    ]


def test_a_priority_change_is_audited_with_the_sites_priority_labels(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(
        f"/reporting/{case_id}/priority", data={"priority": "inom_timmar", "reason": "Stabil"}
    )
    [event] = audit_events(app, "priority_change")
    assert event.detail == "Akut → Inom timmar: Stabil"


def test_a_transfer_and_its_tries_and_ticks_are_audited_with_their_labels(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    client.post(
        url + "/attempts",
        data={"route": "via_region", "via_region": "Region Västerby", "outcome": "failed"},
    )
    label = "Länkdatorn är ur funktion eller avstängd."
    client.post(url + "/checks", data={"list_key": "send", "item": text_key(label), "is_done": "1"})
    [created] = audit_events(app, "transfer_create")
    assert created.detail.endswith(" Skicka: Grannby universitetssjukhus (Region Grannby), Akut")
    assert "grannby_us" not in created.detail
    [attempt] = audit_events(app, "transfer_attempt")
    assert attempt.detail.endswith(" Via grannregion Region Västerby: Misslyckades")
    [check] = audit_events(app, "transfer_check")
    assert check.detail.endswith(f" Problem med att skicka, klar: {label}")
    assert "send[" not in check.detail


def test_a_release_is_audited_with_the_recipient_and_channel_as_the_form_names_them(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="preliminary")
    auth.login("radiographer")
    data = {
        "recipient_kind": "own_region_hospital",
        "recipient_name": "Lillby lasarett",
        "channel": "archive_push",
    }
    assert client.post(f"/routines/releases/cases/{case_id}", data=data).status_code == 302
    [event] = audit_events(app, "release_create")
    assert event.detail.endswith(
        " Sjukhus inom den egna regionen, Skicka till Regionarkivet (BFR), utan utlåtande"
    )


def test_a_refused_release_is_audited_with_the_refusals_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, exam=False)
    auth.login("secretary")
    data = {"recipient_kind": "patient", "channel": "media", "media_kind": "cd"}
    client.post(f"/routines/releases/cases/{case_id}", data=data)
    [event] = audit_events(app, "release_refused")
    assert "Undersökningen är inte gjord – det finns inga bilder att lämna ut." in event.detail
    assert "exam_done" not in event.detail


def test_a_reviewer_image_route_is_audited_with_the_routes_name(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    client.post(
        f"/routines/reviewer/cases/{case_id}/route",
        data={"route-route_key": "teleradiology", "route-outcome": "failed"},
    )
    [event] = audit_events(app, "reviewer_image_route")
    assert event.detail == "Teleradiologidestination i PACS: Misslyckades"


def test_a_route_status_is_audited_with_the_routes_name(
    app: Flask, client: FlaskClient, auth
) -> None:
    make_case(client, auth)
    auth.login("admin")
    client.post(
        "/routines/reviewer/routes/postprocessing",
        data={"is_working": "0", "note": "Trasig sedan maj."},
    )
    [event] = audit_events(app, "route_status")
    assert event.detail == "Via efterbehandlingsstationen: fungerar inte – Trasig sedan maj."


def test_an_incidents_scenario_is_audited_by_its_name(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    client.post(f"/incidents/{incident_id}/scenario", data={"scenario": "total"})
    [declared] = audit_events(app, "incident_declare")
    assert declared.detail == "Integrationsmotorn nere (remisser når inte RIS)"
    [changed] = audit_events(app, "incident_scenario")
    assert changed.detail == "Integrationsmotorn nere (remisser når inte RIS) → Totalt avbrott"


def test_an_incident_step_is_audited_by_its_text_alone(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    client.post(f"/incidents/{incident_id}/steps", data={"step_key": "it_called", "is_done": "1"})
    [event] = audit_events(app, "incident_step")
    assert event.detail == "IT-support kontaktad: klar"


def test_a_paper_report_is_audited_with_its_state_in_swedish(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    response = client.post(f"/reporting/{case_id}/paper", data=paper_report_data(radiologist_id))
    assert response.status_code == 302, response.get_data(as_text=True)
    [event] = audit_events(app, "report_paper_entered")
    assert event.detail.startswith("definitivt signerat, författare ")
