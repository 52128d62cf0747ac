"""The banner naming another open outage counts the cases that hold its close: a reconciled case
whose report waits for a radiologist's signature, or for the external reviewer's answer, as
well as those on their way to RIS."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.incidents.closing import awaiting_signature, open_tasks
from webapp.models import Incident

from .catchup_support import close_incident, incident_ended, waive
from .factories import declare_incident, exam_data, referral_data, report_data
from .reviewer_support import _fax_to_the_reviewer

BANNER = "Ett annat driftstopp pågår också"


def _examined_case(client: FlaskClient, auth) -> tuple[int, int]:
    """An integration outage with one examined case; its incident and case ids."""
    auth.login("radiographer")
    incident_id = declare_incident(client, "integration")
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    client.post(f"/cases/{case_id}/exam", data=exam_data())
    return incident_id, case_id


def _banner_of_the_next_outage(client: FlaskClient, auth) -> str:
    """RIS goes down too, declared on its own; the board of a tablet starting its shift."""
    auth.login("radiographer")
    declare_incident(client, "om_ris")
    auth.login("radiographer", username="next-shift")
    return client.get("/board/").get_data(as_text=True)


def test_a_waived_case_whose_report_waits_for_a_signature_is_counted(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id = _examined_case(client, auth)
    waive(client, auth, case_id, "Inlagd direkt i RIS")
    auth.login("radiologist")
    assert client.post(f"/reporting/{case_id}", data=report_data("save")).status_code == 302
    with app.app_context():
        assert awaiting_signature(incident_id) == {case_id: "waived_unsigned"}
    page = _banner_of_the_next_outage(client, auth)
    assert BANNER in page and "1 ärende är inte klart där" in page
    close_incident(client, auth, incident_id)
    assert not incident_ended(app, incident_id)


def test_a_waived_case_waiting_for_the_reviewers_answer_is_counted(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id = _examined_case(client, auth)
    assert _fax_to_the_reviewer(client, auth, case_id).status_code == 302
    waive(client, auth, case_id, "Inlagd direkt i RIS")
    with app.app_context():
        assert [t.kind for t in open_tasks(incident_id)] == ["reviewer_answer"]
    page = _banner_of_the_next_outage(client, auth)
    assert BANNER in page and "1 ärende är inte klart där" in page


def test_a_case_both_unreconciled_and_held_is_counted_once(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id = _examined_case(client, auth)
    assert _fax_to_the_reviewer(client, auth, case_id).status_code == 302
    auth.login("radiographer")
    client.post("/cases/new", data=referral_data(key_suffix="b", patient_name="Bo Berg"))
    page = _banner_of_the_next_outage(client, auth)
    assert "2 ärenden är inte klara där" in page
    with app.app_context():
        assert db.session.get(Incident, incident_id).ended_at is None
