"""A case moved out after RIS heard of it is a CSV row of its own (moved_out_export): its RIS
numbers and patient number are the identifiers the secretary finds the booking in RIS by, so
Excel must keep them as written there too, as on every other row."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from .test_cases_moved_after_export import _export, _move, _outage_and_drill, _rows


def test_a_withdrawn_rows_date_like_ris_numbers_keep_their_text(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    real, drill, (case_id,) = _outage_and_drill(client, auth)
    auth.login("secretary")
    response = client.post(
        f"/catchup/cases/{case_id}/ris",
        data={"ris_accession": "2026-01-15", "ris_exam_number": "3/4"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    _move(client, case_id, drill)
    (row,) = _rows(_export(client, real, "csv").data)
    assert row["status"] == "FLYTTAD TILL ÖVNING – TA BORT I RIS"
    # Excel would store these as a day and a date (15 January, 3 April): not findable in RIS.
    assert row["RIS accession"] == "'2026-01-15"
    assert row["RIS undersökningsnummer"] == "'3/4"
