"""Two real outages open at once: the cases of the one not shown stay in sight."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import declare_incident, referral_data


def _two_outages_with_a_waiting_patient(client: FlaskClient, auth) -> int:
    """The integration outage holds a patient; then RIS goes down too, declared on its own."""
    auth.login("radiographer")
    first = declare_incident(client, "integration")
    assert client.post("/cases/new", data=referral_data()).status_code == 302
    declare_incident(client, "om_ris")
    return first


def test_the_board_of_one_outage_names_another_still_holding_cases(
    client: FlaskClient, auth
) -> None:
    first = _two_outages_with_a_waiting_patient(client, auth)
    # A tablet starting its shift works in the newest outage, which holds no case yet.
    auth.login("radiographer", username="next-shift")
    page = client.get("/board/").get_data(as_text=True)
    assert "Beställningsverktyget eller RIS nere" in page
    assert "Ett annat driftstopp pågår också" in page
    assert "Integrationsmotorn nere" in page and "1 ärende är inte klart där" in page
    assert f"/incidents/{first}/select" in page
    # The note comes with the rows, so a board left open learns of it at its next refresh.
    rows = client.get("/board/rows").get_data(as_text=True)
    assert "Ett annat driftstopp pågår också" in rows


def test_the_worklist_of_one_outage_names_another_still_holding_cases(
    client: FlaskClient, auth
) -> None:
    first = _two_outages_with_a_waiting_patient(client, auth)
    auth.login("radiologist")
    page = client.get("/reporting/").get_data(as_text=True)
    assert "Ett annat driftstopp pågår också" in page and f"/incidents/{first}/select" in page


def test_an_other_outage_with_nothing_outstanding_is_not_named(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    declare_incident(client, "integration")
    declare_incident(client, "om_ris")
    page = client.get("/board/").get_data(as_text=True)
    assert "Ett annat driftstopp pågår också" not in page


def test_the_incident_page_counts_what_is_left_in_swedish_number(client: FlaskClient, auth) -> None:
    first = _two_outages_with_a_waiting_patient(client, auth)
    auth.login("admin")
    page = client.get(f"/incidents/{first}").get_data(as_text=True)
    assert "1 ärende är inte avstämt än." in page
    auth.login("radiographer")
    client.post(f"/incidents/{first}/select")
    assert client.post("/cases/new", data=referral_data(key_suffix="2")).status_code == 302
    auth.login("admin")
    page = client.get(f"/incidents/{first}").get_data(as_text=True)
    assert "2 ärenden är inte avstämda än." in page
