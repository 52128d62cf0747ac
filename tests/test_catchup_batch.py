"""The catch-up batch: its page, its exports (CSV, JSON, FHIR, the export command) saying who
waived a case, and closing the incident with the final batch."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ExportBatch, Incident

from .catchup_support import (
    close_incident,
    confirm_waiver,
    incident_ended,
    new_case,
    tick_all,
)
from .catchup_world_support import world as world  # the fixture
from .factories import make_user


def test_exports_say_who_waived_a_case_when_and_why(client: FlaskClient, auth, world) -> None:
    reason = "Patienten skickad till annat sjukhus, granskas där"
    client.post(f"/catchup/cases/{world['ids'][1]}/waive", data={"reason": reason})
    confirm_waiver(client, auth, world["ids"][1])  # four eyes: a second secretary
    export = f"/catchup/incidents/{world['incident_id']}/export"
    document = client.get(f"{export}/json").get_json()
    waived = document["cases"][1]
    assert (waived["waived"], waived["waive_reason"]) == (True, reason)
    assert waived["waived_by"] == "Testa Secretary Åström" and waived["waived_at"]
    bundle = client.get(f"{export}/fhir").get_json()
    provenances = [e["resource"] for e in bundle["entry"] if e["request"]["url"] == "Provenance"]
    text = provenances[1]["activity"]["text"]
    assert reason in text and "Testa Secretary Åström" in text and waived["waived_at"] in text
    statuses = [
        e["resource"]["status"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "ServiceRequest"
    ]
    # The waived case was examined but only preliminarily reported: not carried out here.
    assert statuses == ["completed", "revoked"]


def test_close_is_refused_while_cases_are_outstanding(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    page = close_incident(client, auth, world["incident_id"])
    assert "2 ärenden är inte avstämda." in page
    assert not incident_ended(app, world["incident_id"])
    # The last one outstanding is named in the singular.
    auth.logout()
    auth.login("secretary")
    client.post(f"/catchup/cases/{world['ids'][1]}/waive", data={"reason": "Remitterad vidare"})
    page = close_incident(client, auth, world["incident_id"])
    assert "1 ärende är inte avstämt." in page
    assert not incident_ended(app, world["incident_id"])


def test_close_when_all_reconciled_writes_the_final_batch(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    first, second = world["ids"]
    tick_all(client, first)
    client.post(f"/catchup/cases/{second}/waive", data={"reason": "Remitterad vidare"})
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{first}/verify")
    client.post(f"/catchup/cases/{second}/waive/confirm")
    close_incident(client, auth, world["incident_id"], confirm_unfaxed="y")
    with app.app_context():
        incident = db.session.get(Incident, world["incident_id"])
        assert incident.ended_at is not None and incident.ended_by.username == "test-admin"
        finals = db.session.scalars(select(ExportBatch).where(ExportBatch.is_final)).all()
        assert {b.format for b in finals} >= {"csv", "json", "fhir"}
        exports = Path(app.config["DATA_DIR"]) / "exports"
        assert all((exports / b.filename).exists() for b in finals)


def test_batch_page_shows_progress_and_outstanding(client: FlaskClient, world) -> None:
    tick_all(client, world["ids"][0])
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert "0</strong> av 2 ärenden avstämda" in page
    assert world["codes"][1] in page


def test_batch_pages_progress_reads_of_not_by_in_english(client: FlaskClient, world) -> None:
    # "av" is both "of" and "by" in Swedish: translated on its own it said "0 by 2".
    client.post("/language", data={"lang": "en", "next": "/"})
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert "<strong>0</strong> of 2 cases reconciled" in " ".join(page.split())


def test_csv_export_opens_in_swedish_excel(client: FlaskClient, world) -> None:
    response = client.get(f"/catchup/incidents/{world['incident_id']}/export/csv")
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    assert any("Örjan Älvström" in cell for cell in rows[1])


def test_csv_export_times_are_in_the_configured_time_zone(
    app: Flask, client: FlaskClient, world
) -> None:
    url = f"/catchup/incidents/{world['incident_id']}/export/csv"

    def arrival_cells() -> list[str]:
        text = client.get(url).get_data().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        column = rows[0].index("mottagen")
        return [row[column] for row in rows[1:]]

    stockholm = arrival_cells()
    app.config["TIMEZONE"] = "America/New_York"
    new_york = arrival_cells()
    assert stockholm != new_york
    # The same moments, read on New York's clocks instead of Stockholm's.
    fmt = "%Y-%m-%d %H:%M"
    moved = [
        datetime.strptime(s, fmt)
        .replace(tzinfo=ZoneInfo("Europe/Stockholm"))
        .astimezone(ZoneInfo("America/New_York"))
        .strftime(fmt)
        for s in stockholm
    ]
    assert new_york == moved


def test_json_export_matches_its_schema(app: Flask, client: FlaskClient, world) -> None:
    import jsonschema

    schema = json.loads((Path(__file__).parent.parent / "docs" / "batch-schema.json").read_text())
    document = client.get(f"/catchup/incidents/{world['incident_id']}/export/json").get_json()
    jsonschema.validate(document, schema)
    assert [c["code"] for c in document["cases"]] == world["codes"]
    assert any(d["kind"] == "report" for d in document["cases"][0]["documents"])


def test_fhir_export_validates(client: FlaskClient, world) -> None:
    from fhir.resources.R4B.bundle import Bundle

    bundle = json.loads(
        client.get(f"/catchup/incidents/{world['incident_id']}/export/fhir").get_data(as_text=True)
    )
    Bundle.model_validate(bundle)
    statuses = sorted(
        e["resource"]["status"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "DiagnosticReport"
    )
    assert statuses == ["final", "preliminary"]


def test_export_batch_command(app: Flask, runner, world, tmp_path: Path) -> None:
    target = tmp_path / "batch.csv"
    result = runner.invoke(
        args=[
            "export-batch",
            "--incident",
            str(world["incident_id"]),
            "--format",
            "csv",
            "-o",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    with app.app_context():
        make_user(username="unused")  # the command leaves the app usable afterwards


def test_batch_page_of_a_single_case_counts_it_in_the_singular(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    with app.app_context():
        incident_id = db.session.scalar(select(Incident.id))
    auth.login("secretary")
    page = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert "0</strong> av 1 ärende avstämt" in page and "ärenden avstämda" not in page


def _figure(page: str, label: str) -> str:
    """The count beside `label` in the batch page's table of figures."""
    row = page[page.index(f"<td>{label}</td>") :]
    return row[row.index("<td>", 1) + 4 : row.index("</td>", row.index("<td>", 1))]


def test_a_cancelled_case_whose_waiver_was_never_confirmed_counts_as_cancelled_only(
    client: FlaskClient, auth, world
) -> None:
    # Waived by one secretary (four eyes: the waiver waits), then cancelled before anyone
    # confirmed it: the waiver never stood, and the case is one case, not two.
    case_id = new_case(client, auth, key_suffix="w", patient_name="Vera Väntar")
    auth.login("secretary")
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Inlagd i RIS"})
    auth.logout()
    auth.login("radiographer")
    response = client.post(f"/cases/{case_id}/cancel", data={"reason": "Fel patient vald"})
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    auth.login("secretary")
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert _figure(page, "Makulerade") == "1"
    assert _figure(page, "Undantagna") == "0"
    assert _figure(page, "Undantag som väntar på bekräftelse") == "0"
