"""The FHIR bundle gives an unidentified patient's approximate age, as the CSV's column does:
RIS registers a reserve number with the sex and an estimated birth year."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .export_support import export_now
from .factories import referral_data, unidentified_referral_data


@pytest.fixture
def incident_id(client: FlaskClient, auth) -> int:
    """An unidentified man of about 70 and an identified woman born 1980."""
    auth.login("radiographer")
    incident = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    assert client.post("/cases/new", data=unidentified_referral_data()).status_code == 302
    known = referral_data(
        key_suffix="b", patient_name="Ann Berg", personal_number="19800101-0027", pregnancy="no"
    )
    assert client.post("/cases/new", data=known).status_code == 302
    return int(incident.rsplit("/", 1)[-1])


def _patients(app: Flask, incident_id: int) -> list[dict[str, Any]]:
    bundle = json.loads(export_now(app, incident_id, "fhir").content)
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]


def test_fhir_gives_an_unidentified_patients_approximate_age(app: Flask, incident_id: int) -> None:
    unknown, known = _patients(app, incident_id)
    assert "birthDate" not in unknown
    # An Age in years (UCUM "a"), under the export's own systems as its identifiers are.
    assert unknown["extension"] == [
        {
            "url": "http://localhost/approximate-age",
            "valueAge": {
                "value": 70,
                "unit": "år",
                "system": "http://unitsofmeasure.org",
                "code": "a",
            },
        }
    ]
    # An identified patient's age is their birth date's.
    assert known["birthDate"] == "1980-01-01" and "extension" not in known
