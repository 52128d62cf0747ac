"""The drafts list names patients typed into forms begun without a case: the log says whose."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient

from .catchup_world_support import world as world  # the fixture
from .factories import case_code
from .routines_support import make_case
from .test_access_wall import login
from .test_drafts_late import _ended, _late_referral

KEY = "listlogkey-" + "q" * 16


def _actions(client: FlaskClient, query: str) -> list[str]:
    text = client.get("/admin/audit.csv?" + query).get_data().decode("utf-8")
    return [row["händelse"] for row in csv.DictReader(io.StringIO(text[1:]), delimiter=";")]


def test_a_referral_draft_shown_in_the_list_is_in_its_patients_extract(app: Flask) -> None:
    client = app.test_client()
    login(client, app, "radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": "referral",
            "seq": 1,
            "label": "Tolvan Tolvansson · 19121212-1212",
            "data": {"patient_name": "Tolvan Tolvansson", "personal_number": "19121212-1212"},
        },
    )
    assert saved.status_code == 200
    # The list shows the number typed, masked as case rows are, before there is any case.
    assert "19121212-****" in client.get("/drafts").get_data(as_text=True)
    client.post("/logout")
    login(client, app, "admin")
    assert "drafts_view" in _actions(client, "patient=19121212-1212")
    assert "drafts_view" not in _actions(client, "patient=19800101-0027")


def test_a_routine_draft_naming_a_case_by_its_code_is_in_that_cases_extract(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("radiologist")
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": "reviewer_report",
            "seq": 1,
            "label": code,
            "data": {"case_code": code.replace("-", "").lower(), "findings": "Ingen blödning."},
        },
    )
    assert saved.status_code == 200
    assert code in client.get("/drafts").get_data(as_text=True)
    auth.logout()
    auth.login("admin")
    assert "drafts_view" in _actions(client, "case_code=" + code)


def test_a_late_referral_shown_on_its_ended_incidents_page_is_in_its_patients_extract(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    incident_id = _ended(client, auth, app, world)
    _late_referral(client, auth, incident_id)
    auth.login("secretary")
    assert "19121212-****" in client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    auth.logout()
    auth.login("admin")
    assert "late_drafts_view" in _actions(client, "patient=19121212-1212")
    assert "late_drafts_view" not in _actions(client, "patient=19800101-0027")
