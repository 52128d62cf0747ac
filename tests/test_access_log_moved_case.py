"""A patient's extract follows their case through a move to another incident: the whole-incident
reads of each incident while the case was in it, and none of the other's.

A board or an export names its incident and no case. A real patient taken into a drill was on
the drill's board until the case was moved; only from then on the outage's.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask.testing import FlaskClient

from .test_cases_move import drill_case_beside_outage, move_form

WHOLE_INCIDENT = {"board_view", "export", "print", "batch_view", "worklist_view"}


def _whole_incident_reads(client: FlaskClient, auth: Any) -> list[tuple[str, str]]:
    """The whole-incident reads in the extract of the referral's patient, with their incident."""
    auth.logout()
    auth.login("admin")
    response = client.get("/admin/audit.csv?patient=19121212-1212")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.get_data().decode("utf-8")[1:]), delimiter=";")
    return sorted(
        (row["händelse"], row["driftstopp-id"]) for row in rows if row["händelse"] in WHOLE_INCIDENT
    )


def _move(client: FlaskClient, case_id: int, target: int) -> None:
    data = move_form(client, case_id, target, "Riktig patient, togs emot i övningen")
    response = client.post(f"/cases/{case_id}/move", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_the_drills_board_seen_before_the_move_stays_in_the_patients_extract(
    client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = drill_case_beside_outage(client, auth)
    assert client.get(f"/board/?incident={drill}").status_code == 200
    _move(client, case_id, real)
    assert _whole_incident_reads(client, auth) == [("board_view", str(drill))]


def test_the_outages_board_seen_before_the_move_is_not_in_the_patients_extract(
    client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id = drill_case_beside_outage(client, auth)
    assert client.get(f"/board/?incident={real}").status_code == 200
    _move(client, case_id, real)
    assert client.get(f"/board/?incident={real}").status_code == 200
    # Only the look after the move: before it, the patient was on the drill's board.
    assert _whole_incident_reads(client, auth) == [("board_view", str(real))]


def test_the_drills_board_seen_after_the_move_is_not_in_the_patients_extract(
    client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = drill_case_beside_outage(client, auth)
    _move(client, case_id, real)
    assert client.get(f"/board/?incident={drill}").status_code == 200
    assert _whole_incident_reads(client, auth) == []
