"""Identifiers that look like a date or a time to Excel stay text in the CSV; real dates and
times stay plain ISO, which Excel and any importer read as the dates they are."""

from __future__ import annotations

import pytest

from webapp.catchup.export_csv import to_csv
from webapp.csvutil import Identifier, excel_safe

from .export_cases import case, exam, patient, referral
from .test_exports import parse_csv


@pytest.mark.parametrize(
    "value",
    [
        "1-12",
        "3/4",
        "2026-01-15",
        "15/1/2026",
        "1.12.2026",
        "12:30",
        "7:05:59",
        "11:30 pm",
        "2026-01-15 12:30",
        "1-jan",
        "maj-26",
        "12 okt",
    ],
)
def test_an_identifier_excel_would_read_as_a_date_or_time_keeps_its_text(value: str) -> None:
    assert excel_safe(Identifier(value)) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["EXS10000001", "19121212-1212", "0999-200 01", "CT26-000123", "T-1", "1-2-3-4", "3-CT"],
)
def test_an_identifier_excel_keeps_as_written_is_not_marked(value: str) -> None:
    assert excel_safe(Identifier(value)) == value


def test_the_same_text_outside_an_identifier_column_is_left_as_it_is() -> None:
    assert excel_safe("2026-01-15") == "2026-01-15"
    assert excel_safe("12:30") == "12:30"


def test_csv_keeps_date_like_ris_and_reserve_numbers_as_text_and_dates_as_iso() -> None:
    awkward = case(
        patient=patient(id_kind="reserve", id_value="1-12", sex="", birth_date="1980-01-01"),
        referral=referral(reply_fax="3/4", safety={"kidney_measured_on": "2026-01-10"}),
        exam=exam(
            modality_temp_id="12:30",
            contrast_batch="11-2026",
            started_at="2026-01-15T10:40:00+00:00",
        ),
        ris_accession="2026-01-15",
        ris_exam_number="3/4",
    )
    row = parse_csv(to_csv([awkward]))[0]
    assert row["personnummer/reservnummer"] == "'1-12"
    assert row["svarsfax"] == "'3/4"
    assert row["modalitets-ID"] == "'12:30"
    assert row["batchnummer kontrastmedel"] == "'11-2026"
    assert row["RIS accession"] == "'2026-01-15"
    assert row["RIS undersökningsnummer"] == "'3/4"
    # The real dates and times: ISO, no mark.
    assert row["födelsedatum"] == "1980-01-01"
    assert row["njurfunktion provtagningsdatum"] == "2026-01-10"
    assert row["undersökning start"] == "2026-01-15 11:40"
