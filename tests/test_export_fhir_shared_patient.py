"""Two cases of one personnummer, each first under a reserve number: the one Patient of the
FHIR export carries both earlier identities, as RIS reconciles each case's images by it."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.catchup.batch import EarlierIdentity
from webapp.catchup.export_fhir import to_fhir_bundle
from webapp.extensions import db
from webapp.models import Incident

from .export_cases import BASE, GENERATED, INCIDENT, case
from .export_support import downloaded
from .factories import exam_data, identity_data, unidentified_referral_data
from .test_exports import validator as validator  # the fixture


def _identified_case(client: FlaskClient, reserve: str, name: str, suffix: str) -> None:
    data = unidentified_referral_data(key_suffix=suffix, reserve_number=reserve, patient_name=name)
    location = client.post("/cases/new", data=data).headers["Location"]
    assert client.post(location + "/exam", data=exam_data(key_suffix=suffix)).status_code == 302
    case_id = int(location.rsplit("/", 1)[-1])
    assert client.post(f"/cases/{case_id}/identity", data=identity_data()).status_code == 302


@pytest.fixture
def two_cases(app: Flask, client: FlaskClient, auth) -> int:
    """Örjan Älvström examined twice, as RES-0007 (no name) and RES-0008 (a name misspelled);
    logged in as secretary; the incident's id."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    _identified_case(client, "RES-0007", "", "a")
    _identified_case(client, "RES-0008", "Örjan Elvström", "b")
    auth.logout()
    auth.login("secretary")
    with app.app_context():
        return int(db.session.scalar(select(Incident.id)))


def test_fhir_patient_of_two_cases_carries_both_earlier_reserve_numbers(
    client: FlaskClient, two_cases: int
) -> None:
    bundle = json.loads(downloaded(client, two_cases, "fhir"))
    Bundle.model_validate(bundle)
    [patient] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert [(i["use"], i["value"]) for i in patient["identifier"]] == [
        ("official", "191212121212"),
        ("old", "RES-0007"),
        ("old", "RES-0008"),
    ]
    assert all(i["system"].endswith("/reservnummer") for i in patient["identifier"][1:])


def test_fhir_patient_of_two_cases_carries_the_earlier_name_as_old(
    client: FlaskClient, two_cases: int
) -> None:
    bundle = json.loads(downloaded(client, two_cases, "fhir"))
    [patient] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert patient["name"] == [
        {"text": "Örjan Älvström"},
        {"use": "old", "text": "Örjan Elvström"},
    ]


def test_csv_and_json_name_each_cases_earlier_identity(
    client: FlaskClient, two_cases: int, validator: Any
) -> None:
    text = downloaded(client, two_cases, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    earlier = [row["tidigare identitet"] for row in rows]
    assert len(earlier) == 2
    assert earlier[0].startswith("reservnummer RES-0007")
    assert earlier[1].startswith("reservnummer RES-0008")
    document = json.loads(downloaded(client, two_cases, "json"))
    validator.validate(document)
    assert [[e["id_value"] for e in c["earlier_identities"]] for c in document["cases"]] == [
        ["RES-0007"],
        ["RES-0008"],
    ]


def _earlier(kind: str, value: str, name: str = "") -> EarlierIdentity:
    return EarlierIdentity(kind, value, name, "2025-03-02T01:00:00+00:00", "Identifierad")


def test_fhir_bundle_patient_has_each_reserve_number_once_in_case_order() -> None:
    cases = [
        case(code="AA11AA", earlier_identities=[_earlier("reserve", "RES-1", "Okänd kvinna")]),
        # A mix-up's personnummer belongs to someone else; a reserve number given twice once.
        case(
            code="BB22BB",
            earlier_identities=[
                _earlier("personnummer", "200001012386", "Annan Person"),
                _earlier("reserve", "RES-2"),
                _earlier("reserve", "RES-1", "Okänd kvinna"),
            ],
        ),
    ]
    bundle = to_fhir_bundle(cases, incident=INCIDENT, generated_at=GENERATED, system_base=BASE)
    Bundle.model_validate(bundle)
    [patient] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert [(i["use"], i["value"]) for i in patient["identifier"]] == [
        ("official", "191212121212"),
        ("old", "RES-1"),
        ("old", "RES-2"),
    ]
    assert patient["name"] == [
        {"text": "Åsa Öberg-Ärlig"},
        {"use": "old", "text": "Okänd kvinna"},
    ]
