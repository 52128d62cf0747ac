"""A case exported under its reserve number, identified, then moved into a drill: the outage's
next export tells the secretary to withdraw it from RIS, where it is booked under the reserve
number. The row names that number too, or the booking is looked for under the personnummer,
where RIS holds the real patient's own exams."""

from __future__ import annotations

import io
import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from .factories import declare_incident, identity_data, unidentified_referral_data
from .test_cases_moved_after_export import SCHEMA, _export, _move, _rows


def _exported_identified_and_moved(client: FlaskClient, auth: Any, fmt: str) -> int:
    auth.login("radiographer")
    real = declare_incident(client, "om_ris")
    location = client.post("/cases/new", data=unidentified_referral_data())
    case_id = int(location.headers["Location"].rsplit("/", 1)[-1])
    drill = declare_incident(client, drill=True)
    auth.login("secretary")
    assert _export(client, real, fmt).status_code == 200
    auth.login("radiographer")
    corrected = client.post(f"/cases/{case_id}/identity", data=identity_data())
    assert corrected.status_code == 302, corrected.get_data(as_text=True)
    auth.login("secretary")
    _move(client, case_id, drill)
    return real


def test_the_withdrawn_csv_row_names_the_reserve_number_ris_was_given(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    real = _exported_identified_and_moved(client, auth, "csv")
    rows = _rows(_export(client, real, "csv", changed=True).data)
    (row,) = [r for r in rows if r["status"].startswith("FLYTTAD")]
    assert "RES-0007" in row["tidigare identitet"], row
    assert row["personnummer/reservnummer"] == "19121212-1212"  # the patient now, beside it


def test_the_withdrawn_json_entry_names_the_reserve_number_ris_was_given(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    import jsonschema

    real = _exported_identified_and_moved(client, auth, "json")
    document = json.loads(_export(client, real, "json", changed=True).data)
    (entry,) = document["withdrawn"]
    assert [e["id_value"] for e in entry["earlier_identities"]] == ["RES-0007"]
    assert entry["earlier_identities"][0]["id_kind"] == "reserve"
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))


def test_the_batch_page_and_checklist_name_the_reserve_number_ris_was_given(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    real = _exported_identified_and_moved(client, auth, "csv")
    page = client.get(f"/catchup/incidents/{real}").get_data(as_text=True)
    moved = page.split('id="moved-out"', 1)[1].split("</section>", 1)[0]
    assert "Tidigare identitet" in moved and "RES-0007" in moved
    pdf = _export(client, real, "pdf", changed=True)
    assert pdf.status_code == 200
    assert "tidigare RES-0007" in _pdf_text(pdf.data)


def _pdf_text(data: bytes) -> str:
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())
