"""The CSV carries what the case page shows and RIS is keyed from, though no earlier column did:
an unidentified patient's approximate age and the radiographer's notes on the exam."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.catchup.export_columns import CASE_PAGE_COLUMNS, READ_ON_COLUMNS, RELEASE_COLUMNS

from .export_support import export_now
from .factories import exam_data, referral_data, unidentified_referral_data

NOTES = "Bilder endast på modaliteten; bränd på CD.\n=Upprepad serie"


@pytest.fixture
def incident_id(client: FlaskClient, auth) -> int:
    """An unidentified man of about 70 examined with notes, and an identified patient with
    neither."""
    auth.login("radiographer")
    incident = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    unknown = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    assert client.post(unknown + "/exam", data=exam_data(notes=NOTES)).status_code == 302
    known = referral_data(
        key_suffix="b",
        patient_name="Ann Berg",
        personal_number="19800101-0027",
        pregnancy="no",
    )
    location = client.post("/cases/new", data=known).headers["Location"]
    assert client.post(location + "/exam", data=exam_data(key_suffix="b")).status_code == 302
    return int(incident.rsplit("/", 1)[-1])


def _csv(app: Flask, incident_id: int) -> tuple[list[str], list[dict[str, str]]]:
    text = export_now(app, incident_id, "csv").content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return header, list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_columns_for_age_and_notes_come_after_every_earlier_one(
    app: Flask, incident_id: int
) -> None:
    header, _rows = _csv(app, incident_id)
    # An importer reading by position finds every earlier column where it was; only the
    # releases' notes, added since, come after.
    at = header.index(CASE_PAGE_COLUMNS[0])
    assert header[at:] == [*CASE_PAGE_COLUMNS, *RELEASE_COLUMNS]
    assert header[at - 1] == READ_ON_COLUMNS[-1]


def test_csv_gives_an_unidentified_patients_approximate_age(app: Flask, incident_id: int) -> None:
    _header, (unknown, known) = _csv(app, incident_id)
    # RIS registers a reserve number with the sex and an estimated birth year: the case page
    # says "ca 70 år", the CSV had only an empty birth date.
    assert unknown["födelsedatum"] == "" and unknown["ungefärlig ålder (år)"] == "70"
    # An identified patient's age is their birth date's.
    assert known["födelsedatum"] == "1980-01-01" and known["ungefärlig ålder (år)"] == ""


def test_csv_gives_the_radiographers_notes_on_the_exam(app: Flask, incident_id: int) -> None:
    _header, (noted, plain) = _csv(app, incident_id)
    # Where the images are when they did not reach PACS, a repeated series: on the case page,
    # in the JSON and the FHIR study, and now in the secretaries' spreadsheet too.
    assert noted["anteckningar undersökning"] == (
        "Bilder endast på modaliteten; bränd på CD.\n'=Upprepad serie"
    )
    assert plain["anteckningar undersökning"] == ""
