"""A case RIS has heard of (exported from its outage, or keyed with a RIS accession) and then
moved out, into a drill most often: the move form says it must be withdrawn from RIS, and the
outage's exports and catch-up page name it, since its batch no longer holds it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import accession_of, save_accession
from .factories import case_code, declare_incident, incident_of, referral_data
from .test_cases_move import move_form

SENT_WARNING = "Ärendet har redan exporterats eller registrerats i RIS"
SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "batch-schema.json"


def _outage_and_drill(client: FlaskClient, auth: Any, cases: int = 1) -> tuple[int, int, list[int]]:
    """A real outage with `cases` referrals, and a drill declared beside it: (real, drill, ids)."""
    auth.login("radiographer")
    real = declare_incident(client, "om_ris")
    ids = []
    for n in range(cases):
        location = client.post("/cases/new", data=referral_data(key_suffix=str(n)))
        ids.append(int(location.headers["Location"].rsplit("/", 1)[-1]))
    drill = declare_incident(client, drill=True)
    auth.logout()
    return real, drill, ids


def _export(client: FlaskClient, incident_id: int, fmt: str, *, changed: bool = False) -> Any:
    query = "?changed=1" if changed else ""
    return client.get(f"/catchup/incidents/{incident_id}/export/{fmt}{query}")


def _move(client: FlaskClient, case_id: int, target: int) -> None:
    data = move_form(client, case_id, target, "Övningspatient, togs in i det riktiga av misstag")
    response = client.post(f"/cases/{case_id}/move", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def _exported_then_moved(client: FlaskClient, auth: Any, fmt: str = "csv") -> dict[str, Any]:
    """Two cases of the real outage exported in `fmt`, then the first moved into the drill."""
    real, drill, ids = _outage_and_drill(client, auth, cases=2)
    auth.login("secretary")
    assert _export(client, real, fmt).status_code == 200
    _move(client, ids[0], drill)
    return {"real": real, "drill": drill, "ids": ids}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_the_move_form_warns_that_an_exported_case_must_be_withdrawn_in_ris(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    real, drill, (case_id,) = _outage_and_drill(client, auth)
    auth.login("secretary")
    assert SENT_WARNING not in client.get(f"/cases/{case_id}").get_data(as_text=True)
    _export(client, real, "csv")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    form = page.split('id="move"', 1)[1]
    assert SENT_WARNING in form.split('name="reason"', 1)[0]
    _move(client, case_id, drill)
    assert incident_of(app, case_id) == drill


def test_the_move_form_warns_for_a_case_with_its_ris_accession_recorded(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _real, drill, (case_id,) = _outage_and_drill(client, auth)
    auth.login("secretary")
    save_accession(client, case_id)
    assert SENT_WARNING in client.get(f"/cases/{case_id}").get_data(as_text=True)
    _move(client, case_id, drill)
    assert incident_of(app, case_id) == drill


def test_the_next_changed_only_csv_lists_the_case_moved_into_the_drill_as_withdrawn(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    world = _exported_then_moved(client, auth)
    response = _export(client, world["real"], "csv", changed=True)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    rows = _rows(response.data)
    assert [(r["ärendekod"], r["status"]) for r in rows] == [
        (case_code(app, world["ids"][0]), "FLYTTAD TILL ÖVNING – TA BORT I RIS")
    ]
    assert rows[0]["personnummer/reservnummer"]
    assert rows[0]["övning"] == "ÖVNING"


def test_a_full_csv_lists_the_withdrawn_case_first_and_the_others_after(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    world = _exported_then_moved(client, auth)
    rows = _rows(_export(client, world["real"], "csv").data)
    assert [r["ärendekod"] for r in rows] == [case_code(app, i) for i in world["ids"]]
    assert rows[0]["status"] == "FLYTTAD TILL ÖVNING – TA BORT I RIS"
    assert rows[1]["status"] != rows[0]["status"]


def test_the_changed_only_json_names_the_withdrawn_case_and_matches_its_schema(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    import jsonschema

    world = _exported_then_moved(client, auth, "json")
    document = _export(client, world["real"], "json", changed=True).get_json()
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    assert document["cases"] == []
    (withdrawn,) = document["withdrawn"]
    assert withdrawn["code"] == case_code(app, world["ids"][0])
    assert withdrawn["moved_to"] == {"incident_id": world["drill"], "is_drill": True}
    assert withdrawn["withdraw_from_ris"] is True
    assert withdrawn["patient"]["id_value"] and withdrawn["moved_at"]
    # Told once per format: the next 'changed only' has nothing more to say.
    assert _export(client, world["real"], "json", changed=True).status_code != 200


def test_the_changed_only_fhir_marks_the_request_entered_in_error(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    from fhir.resources.R4B.bundle import Bundle

    world = _exported_then_moved(client, auth, "fhir")
    bundle = json.loads(_export(client, world["real"], "fhir", changed=True).data)
    Bundle.model_validate(bundle)
    (entry,) = bundle["entry"]
    resource = entry["resource"]
    assert resource["resourceType"] == "ServiceRequest"
    assert resource["status"] == "entered-in-error"
    code = case_code(app, world["ids"][0])
    assert entry["request"]["method"] == "PUT"
    assert entry["request"]["url"].endswith(f"|{code}")


def test_the_batch_page_names_the_case_moved_after_export(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    world = _exported_then_moved(client, auth)
    page = client.get(f"/catchup/incidents/{world['real']}").get_data(as_text=True)
    assert "Flyttade efter export" in page
    line = page.split("Flyttade efter export", 1)[1][:2000]
    assert case_code(app, world["ids"][0]) in line and "ta bort i RIS" in line


def test_a_case_keyed_into_ris_and_moved_is_named_on_the_batch_page_and_in_a_full_export(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    real, drill, (case_id,) = _outage_and_drill(client, auth)
    auth.login("secretary")
    save_accession(client, case_id)
    _move(client, case_id, drill)
    page = client.get(f"/catchup/incidents/{real}").get_data(as_text=True)
    assert case_code(app, case_id) in page.split("Flyttade efter export", 1)[1][:2000]
    (row,) = _rows(_export(client, real, "csv").data)
    assert row["RIS accession"] == accession_of(case_id)
    assert row["status"] == "FLYTTAD TILL ÖVNING – TA BORT I RIS"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_drill_case_moved_to_the_real_outage_after_a_drill_export_is_new_to_the_outage(
    app: Flask, client: FlaskClient, auth: Any, fmt: str
) -> None:
    real, drill, (stays,) = _outage_and_drill(client, auth)
    auth.login("radiographer")
    location = client.post(f"/cases/new?incident={drill}", data=referral_data(key_suffix="d"))
    auth.logout()
    auth.login("secretary")
    drill_case = int(location.headers["Location"].rsplit("/", 1)[-1])
    if incident_of(app, drill_case) != drill:
        _move(client, drill_case, drill)
    _export(client, drill, fmt)
    _export(client, real, fmt)
    _move(client, drill_case, real)
    data = _export(client, real, fmt, changed=True).data
    code = case_code(app, drill_case)
    if fmt == "csv":
        rows = _rows(data)
        assert [r["ärendekod"] for r in rows] == [code]
        assert rows[0]["övning"] == "" and "TA BORT" not in rows[0]["status"]
    else:
        document = json.loads(data)
        assert [c["code"] for c in document["cases"]] == [code]
        assert "withdrawn" not in document
    assert case_code(app, stays) != code


def test_a_changed_only_export_downloaded_again_still_lists_the_withdrawn_case(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import ExportBatch

    world = _exported_then_moved(client, auth)
    assert _export(client, world["real"], "csv", changed=True).status_code == 200
    with app.app_context():
        last = db.session.scalar(select(ExportBatch.id).order_by(ExportBatch.id.desc()))
    response = client.get(f"/catchup/incidents/{world['real']}/exports/{last}")
    assert response.status_code == 200
    assert [(r["ärendekod"], r["status"]) for r in _rows(response.data)] == [
        (case_code(app, world["ids"][0]), "FLYTTAD TILL ÖVNING – TA BORT I RIS")
    ]


def test_the_close_section_points_to_the_cases_moved_after_export(
    client: FlaskClient, auth: Any
) -> None:
    world = _exported_then_moved(client, auth)
    # The close is the administrator's.
    auth.logout()
    auth.login("admin")
    page = client.get(f"/catchup/incidents/{world['real']}").get_data(as_text=True)
    close = page.split("<h2>Avsluta driftstoppet</h2>", 1)[1]
    assert 'href="#moved-out"' in close
    # One case, in the singular.
    assert "1 ärende flyttades härifrån efter export" in close


def test_the_changed_only_checklist_pdf_lists_the_withdrawn_case(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    from pypdf import PdfReader

    world = _exported_then_moved(client, auth, "pdf")
    response = _export(client, world["real"], "pdf", changed=True)
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    assert case_code(app, world["ids"][0]) in text
    assert "TA BORT I RIS" in text
    assert case_code(app, world["ids"][1]) not in text


def test_the_batch_pages_list_of_moved_cases_is_in_their_patients_extract(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    from webapp.extensions import db
    from webapp.models import Case

    world = _exported_then_moved(client, auth)
    client.get(f"/catchup/incidents/{world['real']}")
    with app.app_context():
        number = db.session.get(Case, world["ids"][0]).patient_id
    auth.logout()
    auth.login("admin")
    text = client.get(f"/admin/audit.csv?patient={number}").get_data().decode("utf-8")
    actions = [row["händelse"] for row in csv.DictReader(io.StringIO(text[1:]), delimiter=";")]
    assert "moved_out_view" in actions


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_case_keyed_into_ris_never_exported_and_moved_is_in_the_next_changed_only_export(
    app: Flask, client: FlaskClient, auth: Any, fmt: str
) -> None:
    # The department keyed it into RIS from the paper after the last export: RIS has it, so the
    # 'changed only' file, all its reader imports, must say to remove it.
    real, drill, (stays,) = _outage_and_drill(client, auth)
    auth.login("secretary")
    assert _export(client, real, fmt).status_code == 200
    auth.logout()
    auth.login("radiographer")
    location = client.post("/cases/new", data=referral_data(key_suffix="late"))
    keyed = int(location.headers["Location"].rsplit("/", 1)[-1])
    assert incident_of(app, keyed) == real
    auth.logout()
    auth.login("secretary")
    save_accession(client, keyed)
    _move(client, keyed, drill)
    response = _export(client, real, fmt, changed=True)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    if fmt == "csv":
        (row,) = _rows(response.data)
        assert row["ärendekod"] == case_code(app, keyed)
        assert row["status"] == "FLYTTAD TILL ÖVNING – TA BORT I RIS"
        assert row["RIS accession"] == accession_of(keyed)
    else:
        import jsonschema

        document = response.get_json()
        jsonschema.validate(document, json.loads(SCHEMA.read_text()))
        (withdrawn,) = document["withdrawn"]
        assert withdrawn["code"] == case_code(app, keyed)
        assert withdrawn["ris_accession"] == accession_of(keyed)
        assert withdrawn["withdraw_from_ris"] is True
    # Told once per format: the next 'changed only' has nothing more to say.
    assert _export(client, real, fmt, changed=True).status_code != 200
    assert case_code(app, stays) != case_code(app, keyed)


def test_a_case_moved_out_of_an_emptied_batch_is_told_of_once(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # The only case of a wrongly declared outage moved out: the 'changed only' export that told
    # of it read no case, and the next one must not tell of it again (nor make a file).
    world = _exported_then_moved(client, auth)
    _move(client, world["ids"][1], world["drill"])
    first = _export(client, world["real"], "csv", changed=True)
    assert first.status_code == 200, first.get_data(as_text=True)[:2000]
    assert sorted(r["ärendekod"] for r in _rows(first.data)) == sorted(
        case_code(app, case_id) for case_id in world["ids"]
    )
    again = _export(client, world["real"], "csv", changed=True)
    assert again.status_code == 302
    assert "Inget ärende har ändrats" in client.get(again.headers["Location"]).get_data(
        as_text=True
    )
