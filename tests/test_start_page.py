"""The start page tells where each open incident's cases stand."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import exam_data, referral_data


def test_each_open_incident_counts_its_cases_by_status(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    page = client.get("/").get_data(as_text=True)
    assert "Inga ärenden ännu" in page
    first = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post("/cases/new", data=referral_data(key_suffix=2))
    client.post(first + "/exam", data=exam_data())
    page = client.get("/").get_data(as_text=True)
    assert "Remiss mottagen: 1 · Undersökning klar: 1" in page
    assert "Inga ärenden ännu" not in page
