"""The batch page's list of unsent forms names patients typed into forms begun without a case:
showing it is a read of each such patient, as on the other draft lists."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient

from .catchup_world_support import world as world  # the fixture
from .test_access_wall import login
from .test_drafts_late import _ended, _late_referral

KEY = "batchlogkey-" + "q" * 16


def _actions(client: FlaskClient, query: str) -> list[str]:
    text = client.get("/admin/audit.csv?" + query).get_data().decode("utf-8")
    return [row["händelse"] for row in csv.DictReader(io.StringIO(text[1:]), delimiter=";")]


def test_a_referral_draft_on_the_batch_page_is_in_its_patients_extract(app: Flask) -> None:
    client = app.test_client()
    login(client, app, "radiographer")
    location = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    incident_id = int(location.rsplit("/", 1)[-1])
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": "referral",
            "seq": 1,
            "incident_id": incident_id,
            "label": "Tolvan Tolvansson · 19121212-1212",
            "data": {"patient_name": "Tolvan Tolvansson", "personal_number": "19121212-1212"},
        },
    )
    assert saved.status_code == 200
    client.post("/logout")
    login(client, app, "secretary")
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert "19121212-****" in batch  # listed among the forms not sent
    client.post("/logout")
    login(client, app, "admin")
    assert "drafts_view" in _actions(client, "patient=19121212-1212")
    assert "drafts_view" not in _actions(client, "patient=19800101-0027")


def test_a_late_referral_on_the_ended_incidents_batch_page_is_in_its_patients_extract(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    incident_id = _ended(client, auth, app, world)
    _late_referral(client, auth, incident_id)
    auth.login("secretary")
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert "19121212-****" in batch
    auth.logout()
    auth.login("admin")
    assert "late_drafts_view" in _actions(client, "patient=19121212-1212")
