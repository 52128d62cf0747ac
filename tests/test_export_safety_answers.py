"""The referral's safety answers and whether it asked for contrast reach RIS in every export
format, read from the database with no query per case."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.catchup.export_columns import (
    CARE_COLUMNS,
    CASE_PAGE_COLUMNS,
    CONTRAST_TRACE_COLUMNS,
    PROTOCOL_COLUMNS,
    READ_ON_COLUMNS,
    RELEASE_COLUMNS,
)

from .export_support import export_now
from .factories import exam_data, referral_data
from .statements import sent_statements

# A woman, CT abdomen with contrast, every safety answer given (the MR ones too).
ANSWERED = {
    "personal_number": "19800101-0027",
    "patient_name": "Karin Kontrast",
    "exam_text": "DT buk",
    "exam_code": "",
    "contrast_planned": "y",
    "contrast_allergy": "no",
    "metformin": "unknown",
    "pregnancy": "no",
    "egfr": "29.6",
    "creatinine": "1234.5678",
    "kidney_measured_on": "2026-01-14",
    "pacemaker": "no",
    "implants": "yes",
    "implants_note": "Höftprotes vänster",
}
# The CSV's columns of the referral's answers, in their documented order.
SAFETY_COLUMNS = (
    "kontrast planerad",
    "kontrastmedelsallergi",
    "eGFR (ml/min/1,73 m²)",
    "kreatinin (µmol/l)",
    "njurfunktion provtagningsdatum",
    "njurfunktion okänd",
    "metformin",
    "graviditet",
    "pacemaker/ICD",
    "implantat",
    "vilket implantat",
)

# Added after them since (see test_catchup_waiver_confirmation_exports.py).
WAIVER_CONFIRMATION = [
    "undantag väntar på bekräftelse",
    "undantag bekräftat av",
    "undantag bekräftat tid",
]


@pytest.fixture
def incident_id(client: FlaskClient, auth) -> int:
    """Two cases: contrast asked for and every answer given (unexamined); a CT head asked for
    without contrast, given contrast at the exam, its kidney function unknown."""
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    assert client.post("/cases/new", data=referral_data(key_suffix="a", **ANSWERED)).status_code
    plain = referral_data(key_suffix="b", kidney_unknown="y")
    case_url = client.post("/cases/new", data=plain).headers["Location"]
    given = exam_data(
        contrast_agent="Omnipaque 350",
        contrast_volume_ml="80",
        contrast_route="iv",
        contrast_batch="AB1234",
    )
    assert client.post(case_url + "/exam", data=given).status_code == 302
    return int(location.rsplit("/", 1)[-1])


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";")
    return list(reader)


def test_csv_carries_the_safety_answers_and_the_planned_contrast(
    app: Flask, incident_id: int
) -> None:
    answered, plain = _csv_rows(export_now(app, incident_id, "csv").content)
    assert [(k, answered[k]) for k in SAFETY_COLUMNS] == list(
        {
            "kontrast planerad": "ja",
            "kontrastmedelsallergi": "nej",
            # As typed, decimal comma: eGFR 29.6 is below a contrast threshold of 30.
            "eGFR (ml/min/1,73 m²)": "29,6",
            "kreatinin (µmol/l)": "1234,5678",
            "njurfunktion provtagningsdatum": "2026-01-14",
            "njurfunktion okänd": "",
            "metformin": "vet ej",
            "graviditet": "nej",
            "pacemaker/ICD": "nej",
            "implantat": "ja",
            "vilket implantat": "Höftprotes vänster",
        }.items()
    )
    # Not asked for on the referral, given at the exam: both are in the file, apart.
    assert plain["kontrast planerad"] == "nej"
    assert plain["kontrastmedel"] == "Omnipaque 350, intravenöst"
    assert plain["njurfunktion okänd"] == "ja" and plain["eGFR (ml/min/1,73 m²)"] == ""
    assert plain["graviditet"] == "" and plain["kontrastmedelsallergi"] == ""


def test_csv_safety_columns_come_after_every_earlier_column(app: Flask, incident_id: int) -> None:
    content = export_now(app, incident_id, "csv").content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(content, newline=""), delimiter=";"))
    # An importer reads by position: the columns it knew keep their places. Only the waiver's
    # confirmation (four eyes), the radiologist's instruction and infection and mobility, and the
    # contrast's batch and the weight, added since, come after them.
    at = header.index("kontrast planerad")
    assert header[at : at + len(SAFETY_COLUMNS)] == list(SAFETY_COLUMNS)
    assert header[at - 2 : at] == ["avstämd", "övning"]
    assert header[at + len(SAFETY_COLUMNS) :] == [
        *WAIVER_CONFIRMATION,
        *PROTOCOL_COLUMNS,
        *CARE_COLUMNS,
        *CONTRAST_TRACE_COLUMNS,
        *READ_ON_COLUMNS,
        *CASE_PAGE_COLUMNS,
        *RELEASE_COLUMNS,
    ]


def test_json_says_whether_the_referral_asked_for_contrast(app: Flask, incident_id: int) -> None:
    answered, plain = json.loads(export_now(app, incident_id, "json").content)["cases"]
    assert answered["referral"]["contrast_planned"] is True
    assert plain["referral"]["contrast_planned"] is False
    assert plain["exam"]["contrast_agent"] == "Omnipaque 350"
    assert answered["referral"]["safety"] == {
        "contrast_allergy": "no",
        "metformin": "unknown",
        "pregnancy": "no",
        "pacemaker": "no",
        "implants": "yes",
        "implants_note": "Höftprotes vänster",
        "egfr": "29.6",
        "creatinine": "1234.5678",
        "kidney_measured_on": "2026-01-14",
        "kidney_unknown": "",
    }


def _requests(content: bytes) -> list[dict[str, Any]]:
    bundle = json.loads(content)
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ServiceRequest"
    ]


def test_fhir_request_carries_the_safety_answers_and_the_planned_contrast(
    app: Flask, incident_id: int
) -> None:
    answered, plain = _requests(export_now(app, incident_id, "fhir").content)
    assert answered["orderDetail"] == [{"text": "Med kontrastmedel"}]
    notes = [n["text"] for n in answered["note"]]
    assert notes[-6:] == [
        "Kontrastmedelsallergi: Nej",
        "Njurfunktion: eGFR 29.6, kreatinin 1234.5678 µmol/l (2026-01-14)",
        "Metformin: Vet ej",
        "Graviditet: Nej",
        "Pacemaker/ICD: Nej",
        "Implantat: Ja: Höftprotes vänster",
    ]
    # Asked for without contrast: no order detail; what was given is the exam's to say.
    assert "orderDetail" not in plain
    assert [n["text"] for n in plain["note"]][-1] == "Njurfunktion: okänd"


def _selects(app: Flask, incident_id: int, fmt: str) -> int:
    with sent_statements(app) as statements:
        export_now(app, incident_id, fmt)
    return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))


@pytest.mark.parametrize("fmt", ["csv", "json", "fhir"])
def test_export_queries_do_not_grow_with_its_cases(
    app: Flask, client: FlaskClient, incident_id: int, fmt: str
) -> None:
    few = _selects(app, incident_id, fmt)
    for n in range(3):
        data = referral_data(key_suffix=f"more{n}", **ANSWERED | {"pregnancy": "unknown"})
        assert client.post("/cases/new", data=data).status_code == 302
    assert _selects(app, incident_id, fmt) == few
