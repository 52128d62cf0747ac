"""Scan station, catch-up steps, four-eyes check, waivers, batch exports, closing."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.codes import make_case_payload, parse_case_code
from webapp.extensions import db
from webapp.models import AuditEvent, Case, CatchupTick, ExportBatch, Incident, ReservedCode

from .catchup_support import book, close_incident, incident_ended, tick_all
from .factories import exam_data, make_user, referral_data, report_data

STEPS = ("booked", "exam_completed", "images_matched", "report_keyed", "correction_list")


@pytest.fixture
def world(app: Flask, client: FlaskClient, auth) -> dict[str, object]:
    """One incident with a definitive case and a preliminary case; logged in as secretary."""
    auth.login("radiographer")
    incident_url = client.post("/incidents/new", data={"scenario": "integration"}).headers[
        "Location"
    ]
    first = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(first + "/exam", data=exam_data())
    second = client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="b",
            patient_name="Åsa Öberg",
            personal_number="19800101-0027",
            pregnancy="no",
        ),
    ).headers["Location"]
    client.post(second + "/exam", data=exam_data(key_suffix="b"))
    auth.logout()
    auth.login("radiologist")
    client.post(first.replace("/cases/", "/reporting/"), data=report_data("definitive", "d" * 20))
    client.post(second.replace("/cases/", "/reporting/"), data=report_data("preliminary", "p" * 20))
    auth.logout()
    auth.login("secretary")
    with app.app_context():
        cases = db.session.scalars(select(Case).order_by(Case.id)).all()
        return {
            "incident_id": int(incident_url.rsplit("/", 1)[-1]),
            "ids": [c.id for c in cases],
            "codes": [c.code for c in cases],
        }


def _status(app: Flask, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).status


@pytest.mark.parametrize("variant", ["display", "lower", "nodash", "spaced", "payload"])
def test_scan_redirects_to_the_catchup_view(client: FlaskClient, world, variant: str) -> None:
    code = world["codes"][0]
    typed = {
        "display": code,
        "lower": code.lower(),
        "nodash": code.replace("-", ""),
        "spaced": " " + code.replace("-", " ") + "\r\n",
        "payload": make_case_payload(code, "UTL", 2),
    }[variant]
    response = client.get("/scan", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/catchup/cases/{world['ids'][0]}")


def test_wrong_check_character_is_refused_not_matched(client: FlaskClient, world) -> None:
    code = world["codes"][0]
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    wrong = code[:-1] + next(c for c in alphabet if c != code[-1])
    response = client.get("/scan", query_string={"code": wrong})
    assert response.status_code == 400
    assert "Kontrolltecknet stämmer inte" in response.get_data(as_text=True)
    assert f'value="{wrong}"' in response.get_data(as_text=True)


def test_scanning_twice_says_already_opened(app: Flask, client: FlaskClient, world) -> None:
    code = world["codes"][0]
    client.get("/scan", query_string={"code": code})
    response = client.get("/scan", query_string={"code": code}, follow_redirects=True)
    assert "Redan öppnad" in response.get_data(as_text=True)
    with app.app_context():
        scans = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "scan")).all()
        assert len(scans) == 2


def test_unknown_code_is_reported(client: FlaskClient, world) -> None:
    from webapp.codes import check_character

    body = "ABCDE" if world["codes"][0][:3] != "ABC" else "BCDEF"
    code = f"{body[:3]}-{body[3:]}{check_character(body)}"
    response = client.get("/scan", query_string={"code": code})
    assert response.status_code == 404
    assert "Inget ärende har koden" in response.get_data(as_text=True)


def test_the_example_code_on_the_scan_page_passes_its_own_check(client: FlaskClient, world) -> None:
    page = client.get("/scan").get_data(as_text=True)
    [example] = re.findall(r"t\.ex\. ([0-9A-Z]{3}-[0-9A-Z]{3})", page)
    assert parse_case_code(example) == example


def test_scanning_a_voided_binder_code_says_it_is_voided(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "1", "batch_label": "x"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    assert client.post(f"/blanks/{code}/void", data={"reason": "Förstörd"}).status_code == 302
    auth.logout()
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": code})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert f"Koden {code} är makulerad (Förstörd) och kan inte användas." in page
    assert "har koden" not in page


def test_incident_list_payload_opens_the_batch(app: Flask, client: FlaskClient, world) -> None:
    with app.app_context():
        stamp = db.session.get(Incident, world["incident_id"]).list_stamp
    payload = f"RR1:I{world['incident_id']}-{stamp}:LST:1"
    response = client.get("/scan", query_string={"code": payload})
    assert response.headers["Location"].endswith(f"/catchup/incidents/{world['incident_id']}")


def test_radiographer_has_no_scan_station(client: FlaskClient, auth, world) -> None:
    auth.logout()
    auth.login("radiographer")
    assert client.get("/scan").status_code == 403


def test_catchup_view_shows_what_ris_needs(client: FlaskClient, world) -> None:
    page = client.get(f"/catchup/cases/{world['ids'][0]}").get_data(as_text=True)
    for text in (
        "19121212-1212",
        "Örjan Älvström",
        "Akutmottagningen",
        "TMP-CT1-0042",
        "DLP 812,5 mGy·cm",
        "Ingen blödning.",
    ):
        assert text in page
    assert page.index("19121212-1212") < page.index("Akutmottagningen") < page.index("TMP-CT1-0042")


def test_each_tick_records_user_and_time(app: Flask, client: FlaskClient, world) -> None:
    book(client, world["ids"][0])
    with app.app_context():
        tick = db.session.scalar(select(CatchupTick))
        assert tick.user.username == "test-secretary" and tick.at is not None


def test_preliminary_report_is_flagged_before_the_report_step(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][1]
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "bara PRELIMINÄRT signerat" in page
    response = client.post(
        f"/catchup/cases/{case_id}/steps",
        data={"step": "report_keyed", "is_done": "1"},
        follow_redirects=True,
    )
    assert "Bekräfta att det ska läggas in som preliminärt" in response.get_data(as_text=True)
    client.post(
        f"/catchup/cases/{case_id}/steps",
        data={"step": "report_keyed", "is_done": "1", "confirm_preliminary": "y"},
    )
    with app.app_context():
        assert db.session.scalar(select(CatchupTick).where(CatchupTick.case_id == case_id)).is_done


def test_duplicate_accession_is_flagged_and_needs_confirmation(
    app: Flask, client: FlaskClient, world
) -> None:
    first, second = world["ids"]
    client.post(f"/catchup/cases/{first}/ris", data={"ris_accession": "EXS10000001"})
    response = client.post(f"/catchup/cases/{second}/ris", data={"ris_accession": "exs10000001"})
    assert response.status_code == 400
    assert f"används redan av ärende {world['codes'][0]}" in response.get_data(as_text=True)
    client.post(
        f"/catchup/cases/{second}/ris",
        data={"ris_accession": "EXS10000001", "allow_duplicate": "y"},
    )
    page = client.get(f"/catchup/cases/{second}").get_data(as_text=True)
    assert "Accessionsnumret finns även på ärende" in page


@pytest.mark.parametrize("typed", ["EXS 1000 0001", "EXS-10000001", "exs10000001 "])
def test_the_same_accession_typed_with_spaces_or_dashes_is_flagged(
    client: FlaskClient, world, typed: str
) -> None:
    # Copied from RIS on one case and typed from the paper on another: still one RIS exam.
    first, second = world["ids"]
    client.post(f"/catchup/cases/{first}/ris", data={"ris_accession": "EXS10000001"})
    response = client.post(f"/catchup/cases/{second}/ris", data={"ris_accession": typed})
    assert response.status_code == 400
    assert f"används redan av ärende {world['codes'][0]}" in response.get_data(as_text=True)


def test_four_eyes_needs_a_second_secretary(app: Flask, client: FlaskClient, auth, world) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    assert _status(app, case_id) == "keyed_in_ris"
    response = client.post(f"/catchup/cases/{case_id}/verify", follow_redirects=True)
    assert "någon annan än den som registrerade" in response.get_data(as_text=True)
    assert _status(app, case_id) == "keyed_in_ris"
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{case_id}/verify")
    assert _status(app, case_id) == "closed"


def test_without_four_eyes_a_keyed_case_is_reconciled(
    app: Flask, client: FlaskClient, world
) -> None:
    from webapp.models import Site
    from webapp.sites import save_site_config

    with app.app_context():
        site = db.session.get(Site, 1)
        save_site_config(
            site.id, site.config_toml.replace("four_eyes = true", "four_eyes = false"), None
        )
    tick_all(client, world["ids"][0])
    assert _status(app, world["ids"][0]) == "closed"


def test_a_case_keyed_before_four_eyes_was_turned_off_can_still_be_reconciled(
    app: Flask, client: FlaskClient, world
) -> None:
    from webapp.models import Site
    from webapp.sites import save_site_config

    case_id = world["ids"][0]
    tick_all(client, case_id)
    assert _status(app, case_id) == "keyed_in_ris"
    with app.app_context():
        site = db.session.get(Site, 1)
        save_site_config(
            site.id, site.config_toml.replace("four_eyes = true", "four_eyes = false"), None
        )
    # The batch page says what is left, and the case page offers it to the one secretary.
    batch = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert "Kvar: Kontroll mot papperet" in " ".join(batch.split())
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert f"/catchup/cases/{case_id}/verify" in page
    client.post(f"/catchup/cases/{case_id}/verify")
    assert _status(app, case_id) == "closed"


def test_unticking_reopens_a_keyed_case(app: Flask, client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    client.post(f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "0"})
    assert _status(app, case_id) == "report_definitive"


def test_waiver_needs_a_reason(app: Flask, client: FlaskClient, world) -> None:
    case_id = world["ids"][1]
    assert client.post(f"/catchup/cases/{case_id}/waive", data={"reason": ""}).status_code == 400
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Inlagd direkt i RIS"})
    assert _status(app, case_id) == "closed"


def test_exports_say_who_waived_a_case_when_and_why(client: FlaskClient, world) -> None:
    reason = "Patienten skickad till annat sjukhus, granskas där"
    client.post(f"/catchup/cases/{world['ids'][1]}/waive", data={"reason": reason})
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
