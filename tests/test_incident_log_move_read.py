"""The incident page's log shows why a case was moved (the reason typed, which may name the
patient): each page that shows it writes a read naming the case, so the patient's extract holds
who saw it."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from .factories import audit_events, case_code
from .test_cases_move import drill_case_beside_outage, move_form

REASON = "Riktig patient (Örjan Älvström), togs emot i övningen"


def _moved(client: FlaskClient, auth: Any) -> tuple[int, int, int]:
    drill, real, case_id = drill_case_beside_outage(client, auth)
    response = client.post(f"/cases/{case_id}/move", data=move_form(client, case_id, real, REASON))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    auth.logout()
    return drill, real, case_id


def _extract(client: FlaskClient, auth: Any) -> list[dict[str, str]]:
    auth.logout()
    auth.login("admin")
    response = client.get("/admin/audit.csv?patient=19121212-1212")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8")[1:]), delimiter=";"))


def test_each_incident_page_showing_a_moves_reason_logs_a_read_of_the_case(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = _moved(client, auth)
    auth.login("radiologist")
    for incident_id in (drill, real):
        page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
        assert "togs emot i övningen" in page
    reads = audit_events(app, "incident_log_moves_view")
    code = case_code(app, case_id)
    assert sorted((r.incident_id, r.detail, r.username) for r in reads) == sorted(
        (i, f"ärenden: {code}", "test-radiologist") for i in (drill, real)
    )
    shown = [r for r in _extract(client, auth) if r["händelse"] == "incident_log_moves_view"]
    assert len(shown) == 2


def test_an_incident_page_without_a_move_logs_no_such_read(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, _real, _case_id = drill_case_beside_outage(client, auth)
    client.get(f"/incidents/{drill}")
    assert audit_events(app, "incident_log_moves_view") == []
