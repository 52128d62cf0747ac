"""Where the images were read reaches RIS as the fax said it: a report read on the modality's
screen carries the fax's line in every export and on the catch-up page; the second look in PACS
(when, by whom, what it found) goes with it. A report without them keeps its earlier digest."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.catchup.batch_reader import batch_case_ids, iter_batch
from webapp.catchup.digests import case_digest
from webapp.catchup.export_columns import (
    CASE_PAGE_COLUMNS,
    CONTRAST_TRACE_COLUMNS,
    READ_ON_COLUMNS,
    RELEASE_COLUMNS,
)
from webapp.extensions import db
from webapp.models import CATCHUP_STEPS, Incident
from webapp.models.report import READ_ON_NOTE
from webapp.sites import site_config

from .export_support import export_now
from .factories import exam_data, referral_data, report_data

SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "batch-schema.json"
LINE = f"Granskning: {READ_ON_NOTE}"


@pytest.fixture
def incident_id(client: FlaskClient, auth) -> int:
    """Three definitive reports: read on the modality and looked at again in PACS, read on the
    modality and still waiting, read in PACS."""
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "pacs"}).headers["Location"]
    cases = []
    for n in range(3):
        referral = referral_data(key_suffix=str(n), patient_name=f"Patient {'ABC'[n]}")
        case = client.post("/cases/new", data=referral).headers["Location"]
        assert client.post(case + "/exam", data=exam_data(key_suffix=str(n))).status_code == 302
        cases.append(int(case.rsplit("/", 1)[-1]))
    auth.logout()
    auth.login("radiologist")
    for n, (case_id, read_on) in enumerate(
        zip(cases, ("modality", "modality", "pacs"), strict=True)
    ):
        data = report_data("definitive", f"d{n}" * 10) | {"read_on": read_on}
        assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    looked = {"form_key": "s" * 20, "outcome": "no_change"}
    assert client.post(f"/reporting/{cases[0]}/second-look", data=looked).status_code == 302
    auth.logout()
    return int(location.rsplit("/", 1)[-1])


def _rows(app: Flask, incident_id: int) -> tuple[list[str], list[dict[str, str]]]:
    text = export_now(app, incident_id, "csv").content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return header, list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_report_text_opens_with_the_fax_line_of_one_read_on_the_modality(
    app: Flask, incident_id: int
) -> None:
    _, rows = _rows(app, incident_id)
    looked, waiting, pacs = (r["utlåtande text"] for r in rows)
    assert looked.splitlines()[0] == LINE and waiting.splitlines()[0] == LINE
    assert "Granskning" not in pacs and "modalitet" not in pacs


def test_csv_carries_where_read_and_the_second_look_in_its_own_last_columns(
    app: Flask, incident_id: int
) -> None:
    header, rows = _rows(app, incident_id)
    # After every earlier column: an importer reading by position finds those where they were.
    at = header.index(READ_ON_COLUMNS[0])
    assert header[at:] == [*READ_ON_COLUMNS, *CASE_PAGE_COLUMNS, *RELEASE_COLUMNS]
    assert header[at - 1] == CONTRAST_TRACE_COLUMNS[-1]
    looked, waiting, pacs = ([r[c] for c in READ_ON_COLUMNS] for r in rows)
    assert looked[0] == "Modalitetens skärm"
    assert looked[1].startswith("20") and looked[2].startswith("Testa Radiologist")
    assert looked[3] == "Ingen ändring"
    assert waiting == ["Modalitetens skärm", "", "", ""]
    assert pacs == ["PACS", "", "", ""]


def test_json_carries_where_read_and_the_second_look_and_keeps_to_the_schema(
    app: Flask, incident_id: int
) -> None:
    document = json.loads(export_now(app, incident_id, "json").content)
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    looked, waiting, pacs = (c["report"] for c in document["cases"])
    assert looked["read_on"] == "modality" and looked["read_on_note"] == READ_ON_NOTE
    assert looked["second_look_at"] and "Radiologist" in looked["second_look_by"]
    assert looked["second_look_outcome"] == "no_change"
    assert waiting["read_on_note"] == READ_ON_NOTE and waiting["second_look_at"] is None
    assert pacs["read_on"] == "pacs" and pacs["read_on_note"] == ""


def _report_texts(content: bytes) -> list[str]:
    import base64

    bundle = json.loads(content)
    return [
        base64.b64decode(e["resource"]["presentedForm"][0]["data"]).decode("utf-8")
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "DiagnosticReport"
    ]


def test_fhir_report_text_carries_the_fax_line_and_the_second_look(
    app: Flask, incident_id: int
) -> None:
    looked, waiting, pacs = _report_texts(export_now(app, incident_id, "fhir").content)
    assert looked.startswith(f"Granskning:\n{READ_ON_NOTE}")
    assert "Eftergranskad i PACS" in looked and "Ingen ändring" in looked
    assert waiting.startswith(f"Granskning:\n{READ_ON_NOTE}")
    assert "Eftergranskad" not in waiting
    assert "Granskning" not in pacs and "Eftergranskad" not in pacs


def test_a_report_not_said_where_read_keeps_the_digest_it_had_before(
    app: Flask, incident_id: int
) -> None:
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        ids = batch_case_ids(incident_id)
        looked, _, pacs = iter_batch(
            incident, site_config(incident.site), case_ids=ids, steps=CATCHUP_STEPS
        )
        assert looked.report is not None and pacs.report is not None
        # An export from before the upgrade digested the report without these fields.
        unsaid = replace(pacs, report=replace(pacs.report, read_on=""))
        assert "read_on" not in repr(unsaid) and "second_look" not in repr(unsaid)
        assert case_digest(pacs) != case_digest(unsaid)
        blank = replace(
            looked.report, second_look_at=None, second_look_by="", second_look_outcome=""
        )
        assert case_digest(looked) != case_digest(replace(looked, report=blank))


def _copied(page: str, value_id: str) -> str:
    return page.split(f'id="{value_id}">', 1)[1].split("</span>", 1)[0]


def test_catchup_report_copy_opens_with_the_fax_line_and_gives_the_second_look(
    client: FlaskClient, auth: Any, incident_id: int, app: Flask
) -> None:
    with app.app_context():
        looked_id, waiting_id, pacs_id = batch_case_ids(incident_id)
    auth.login("secretary")
    looked = client.get(f"/catchup/cases/{looked_id}").get_data(as_text=True)
    assert _copied(looked, "val-report").splitlines()[0] == LINE
    second = _copied(looked, "val-second-look")
    assert "Ingen ändring" in second and "Testa Radiologist" in second
    waiting = client.get(f"/catchup/cases/{waiting_id}").get_data(as_text=True)
    assert _copied(waiting, "val-report").splitlines()[0] == LINE
    assert 'id="val-second-look"' not in waiting
    pacs = client.get(f"/catchup/cases/{pacs_id}").get_data(as_text=True)
    assert "Granskning:" not in _copied(pacs, "val-report")
