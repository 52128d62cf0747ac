"""A patient's extract holds the whole-incident reads made once their case was in it, in the
order the laptop wrote them, whatever its clock said.

A board or an export shows every case of its incident in one row naming none: it was a look at
a patient if it came after their case was made. Compared by time, a clock set back between the
two would leave the look out, or put one from before the case in.
"""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient

from .clock_support import clock_set_back
from .factories import referral_data
from .test_access_wall import login


def _extract_actions(client: FlaskClient) -> list[str]:
    """The actions in the access log's extract of the referral's patient (as an admin)."""
    client.post("/logout")
    login(client, app=client.application, role="admin")
    response = client.get("/admin/audit.csv?patient=19121212-1212")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.get_data().decode("utf-8")[1:]), delimiter=";")
    return sorted(row["händelse"] for row in rows)


def test_a_board_seen_after_the_clock_was_set_back_is_in_the_patients_extract(
    app: Flask,
) -> None:
    client = app.test_client()
    login(client, app, "radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    client.post("/cases/new", data=referral_data())
    with clock_set_back(hours=1):
        assert client.get("/board/").status_code == 200
        assert _extract_actions(client) == ["audit_export", "board_view", "case_create"]


def test_a_board_seen_before_the_case_was_made_is_not_in_the_patients_extract(
    app: Flask,
) -> None:
    client = app.test_client()
    login(client, app, "radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    assert client.get("/board/").status_code == 200
    with clock_set_back(hours=1):
        client.post("/cases/new", data=referral_data())
        assert _extract_actions(client) == ["audit_export", "case_create"]
