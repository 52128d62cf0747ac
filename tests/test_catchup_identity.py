"""A corrected identity: the catch-up and every export give the current patient and the one
RIS may already hold (the booking and the images were made under the earlier number)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import unquote

import pytest
from fhir.resources.R4B.bundle import Bundle
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, Incident

from .export_support import downloaded
from .factories import exam_data, identity_data, unidentified_referral_data
from .test_exports import validator as validator  # the fixture


@pytest.fixture
def corrected(app: Flask, client: FlaskClient, auth) -> dict[str, int]:
    """A patient examined under reserve number RES-0007, then identified; logged in as secretary."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    case_id = int(location.rsplit("/", 1)[-1])
    assert client.post(f"/cases/{case_id}/identity", data=identity_data()).status_code == 302
    auth.logout()
    auth.login("secretary")
    with app.app_context():
        incident_id = db.session.scalar(select(Incident.id))
        assert db.session.get(Case, case_id).patient_id == "191212121212"
    return {"case_id": case_id, "incident_id": incident_id}


def test_catchup_page_shows_the_reserve_number_the_exam_was_done_under(
    client: FlaskClient, corrected: dict[str, int]
) -> None:
    page = client.get(f"/catchup/cases/{corrected['case_id']}").get_data(as_text=True)
    assert "19121212-1212" in page
    assert "Tidigare identitet" in page and "RES-0007" in page


def test_csv_gives_the_current_identity_and_the_earlier_one(
    client: FlaskClient, corrected: dict[str, int]
) -> None:
    text = downloaded(client, corrected["incident_id"], "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows) == 1
    assert rows[0]["personnummer/reservnummer"] == "19121212-1212"
    assert rows[0]["id-typ"] == "personnummer"
    assert rows[0]["tidigare identitet"].startswith("reservnummer RES-0007")


def test_json_gives_the_earlier_identity(
    client: FlaskClient, corrected: dict[str, int], validator: Any
) -> None:
    document = json.loads(downloaded(client, corrected["incident_id"], "json"))
    validator.validate(document)
    case = document["cases"][0]
    assert case["patient"]["id_value"] == "191212121212"
    [earlier] = case["earlier_identities"]
    assert (earlier["id_kind"], earlier["id_value"]) == ("reserve", "RES-0007")
    assert earlier["reason"] == "Identifierad av anhörig" and earlier["changed_at"]


def test_fhir_patient_keeps_the_reserve_number_as_an_old_identifier(
    client: FlaskClient, corrected: dict[str, int]
) -> None:
    bundle = json.loads(downloaded(client, corrected["incident_id"], "fhir"))
    [patient] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    uses = {(i["use"], i["value"]) for i in patient["identifier"]}
    assert uses == {("official", "191212121212"), ("old", "RES-0007")}
    # The conditional create still looks the patient up by the current number only.
    [entry] = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert "191212121212" in entry["request"]["ifNoneExist"]
    assert "RES-0007" not in entry["request"]["ifNoneExist"]


REVERTED = {
    "id_mode": "reserve",
    "reserve_number": "RES-0007",
    "sex": "M",
    "approx_age": "70",
    "patient_name": "",
    "reason": "Fel patient angiven",
}


def test_an_identity_corrected_back_is_not_listed_as_an_earlier_one(
    client: FlaskClient, corrected: dict[str, int]
) -> None:
    case_id = corrected["case_id"]
    # Back to the reserve number (the wrong patient was named), then named again and back.
    assert client.post(f"/cases/{case_id}/identity", data=REVERTED).status_code == 302
    assert client.post(f"/cases/{case_id}/identity", data=identity_data()).status_code == 302
    assert client.post(f"/cases/{case_id}/identity", data=REVERTED).status_code == 302
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    # The personnummer named by mistake is the earlier identity, once; RES-0007 is the current.
    assert page.count("Tidigare identitet") == 1
    assert "Personnummer 19121212-1212 (Örjan Älvström)" in page
    document = json.loads(downloaded(client, corrected["incident_id"], "json"))
    earlier = document["cases"][0]["earlier_identities"]
    assert [(e["id_kind"], e["id_value"]) for e in earlier] == [("personnummer", "191212121212")]


def test_fhir_patient_under_a_reused_reserve_number_is_never_matched_to_another_patient(
    client: FlaskClient, corrected: dict[str, int], auth
) -> None:
    # A was examined under RES-0007 and then identified; B wears RES-0007 now (reserve numbers
    # are per department and come round again).
    auth.logout()
    auth.login("radiographer")
    data = unidentified_referral_data(key_suffix="b", approx_age="30")
    assert client.post("/cases/new", data=data).status_code == 302
    auth.logout()
    auth.login("secretary")
    bundle = json.loads(downloaded(client, corrected["incident_id"], "fhir"))
    Bundle.model_validate(bundle)
    patients = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert len(patients) == 2
    a, b = patients
    assert {i["value"] for i in a["resource"]["identifier"]} == {"191212121212", "RES-0007"}
    # A server holding A (or A's own earlier temporary Patient) must find no match for B.
    condition = b["request"].get("ifNoneExist", "")
    assert "RES-0007" not in condition
    if condition:
        [(system, value)] = [tuple(condition.removeprefix("identifier=").split("|"))]
        b_keys = [i for i in b["resource"]["identifier"] if i["system"] == unquote(system)]
        assert [i["value"] for i in b_keys] == [unquote(value)]
        others = [(i["system"], i["value"]) for i in a["resource"]["identifier"]]
        assert (unquote(system), unquote(value)) not in others
    # B still carries the number on the wristband, as a temporary identifier.
    temp = [(i["use"], i["value"]) for i in b["resource"]["identifier"] if i["use"] != "secondary"]
    assert temp == [("temp", "RES-0007")]
    subjects = {
        e["resource"]["subject"]["reference"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "ServiceRequest"
    }
    assert subjects == {a["fullUrl"], b["fullUrl"]}


def test_fhir_reserve_number_patient_is_matched_the_same_way_on_every_export(
    client: FlaskClient, auth, app: Flask
) -> None:
    # Exported twice, a case's temporary Patient must be found again, not created twice.
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    client.post("/cases/new", data=unidentified_referral_data())
    auth.logout()
    auth.login("secretary")
    with app.app_context():
        incident_id = db.session.scalar(select(Incident.id))
    first, again = (
        json.loads(downloaded(client, incident_id, "fhir"))["entry"][0] for _ in range(2)
    )
    assert first["resource"]["resourceType"] == "Patient"
    assert first["request"]["ifNoneExist"] == again["request"]["ifNoneExist"]
    assert first["fullUrl"] == again["fullUrl"]
