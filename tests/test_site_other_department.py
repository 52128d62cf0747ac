"""A department other than the example one: every page, sheet and export shows its own names.

Whatever staff see or print must come from the site's own file (tests/other_site_support.py);
a word of the example site's file showing up means the app wrote it from somewhere else. An
ended outage's cases keep the names they were made under when the routines and codes change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, Incident

from .dbsetup import make_test_app
from .other_site_support import (
    LATER,
    NORDMARK,
    build_world,
    done,
    end_incident,
    leaks,
    login,
    shown,
)
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app on a fresh database whose only site is Nordmark."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "site.toml").write_text(NORDMARK, encoding="utf-8")
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
    yield app
    teardown()


@pytest.fixture
def world(app: Flask, client: FlaskClient) -> dict[str, str]:
    return build_world(app, client)


def test_no_page_shows_the_example_sites_names_numbers_or_codes(
    app: Flask, client: FlaskClient, world: dict[str, str]
) -> None:
    found: dict[str, list[str]] = {}
    for role in ("radiographer", "radiologist", "secretary", "admin"):
        login(app, client, role)
        for rule in app.url_map.iter_rules():
            if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
                continue
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: world[m.group(1)], rule.rule)
            response = client.get(path)
            assert response.status_code != 500, path
            if response.status_code == 200 and (hits := leaks(shown(response))):
                found[f"{role} {path}"] = hits
    assert found == {}, found


def test_the_outage_pages_show_the_sites_own_routine(
    app: Flask, client: FlaskClient, world: dict[str, str]
) -> None:
    login(app, client, "radiographer")
    incident = shown(client.get(f"/incidents/{world['incident_id']}"))
    for text in (
        "Kedjebrott i remissflödet",
        "Ta emot pappersremiss via fax i sal A.",
        "Nordmarks driftcentral",
        "0111-333 00",
        "Chef i beredskap underrättad",
    ):
        assert text in incident
    case = shown(client.get(f"/cases/{world['case_id']}"))
    assert "Omgående" in case and "Skiktbild" in case
    reviewer = shown(client.get("/routines/reviewer"))
    for text in ("Fjärrgranskning Nordmark", "0111-444 00", "Fjärrgranskningen varskodd"):
        assert text in reviewer
    assert "Bildsystemförvaltningen" in reviewer  # the contact the routine has the message go to
    release = shown(client.get(f"/routines/releases/cases/{world['case_id']}"))
    for text in ("Bildportalen Nord", "Nordarkivet", "Fjällby sjukstuga", "Region Nordmark"):
        assert text in release


def test_every_sheet_prints_the_sites_own_names_and_nothing_of_the_examples(
    app: Flask, client: FlaskClient, world: dict[str, str]
) -> None:
    login(app, client, "secretary")
    sheets: dict[str, bytes] = {}
    for name, case_id in (("reported", world["case_id"]), ("faxed", world["other_id"])):
        for kind in ("referral", "exam", "report", "cover", "referral-anon", "report-anon"):
            response = client.get(f"/print/cases/{case_id}/{kind}.pdf")
            if response.status_code == 200:  # a sheet the case has
                sheets[f"{name} {kind}"] = response.get_data()
    for masked in ("0", "1"):
        url = f"/print/incidents/{world['incident_id']}/list.pdf?masked={masked}"
        sheets[f"list {masked}"] = client.get(url).get_data()
    address = {"svar-recipient_name": "Söderfjärds sjukhus", "svar-recipient_address": "Box 2"}
    response = client.post(f"/routines/releases/{world['release_id']}/report.pdf", data=address)
    sheets["release report"] = response.get_data()
    login(app, client, "admin")
    sheets["binder"] = client.get(f"/blanks/{world['code']}/batch.pdf").get_data()
    assert {"reported report", "reported report-anon", "faxed referral-anon"} <= set(sheets)
    texts = {name: pdf_text(pdf) for name, pdf in sheets.items()}
    assert {name: leaks(text) for name, text in texts.items() if leaks(text)} == {}
    referral, report = texts["reported referral"], texts["reported report"]
    assert "Omgående" in referral and "Skiktbild" in referral
    assert "Nordmarks lasarett" in report and "0111-222 01" in report
    assert "Omgående" in texts["faxed referral-anon"]
    assert "Nordmarks lasarett" in texts["release report"]
    assert "Omgående" in texts["binder"]  # the blank referral's priority boxes
    with app.app_context():
        codes = {
            name: str(db.session.get(Case, int(world[key])).code).replace("-", "")
            for name, key in (("reported", "case_id"), ("faxed", "other_id"))
        }
    for name in ("reported referral", "reported report", "faxed referral-anon"):
        pages = decoded_payloads(sheets[name], STANDARD_FAX)
        code = codes[name.split()[0]]
        assert pages and all(p and p[0].startswith(f"RR1:{code}:") for p in pages), name


def test_every_export_names_the_sites_own_codes_and_nothing_of_the_examples(
    app: Flask, client: FlaskClient, world: dict[str, str]
) -> None:
    login(app, client, "secretary")
    exports = {
        fmt: client.get(f"/catchup/incidents/{world['incident_id']}/export/{fmt}")
        for fmt in ("csv", "json", "fhir", "pdf")
    }
    assert all(r.status_code == 200 for r in exports.values())
    texts = {fmt: shown(r) for fmt, r in exports.items()}
    assert {fmt: leaks(text) for fmt, text in texts.items() if leaks(text)} == {}
    assert "Omgående" in texts["csv"] and "Skiktbild" in texts["csv"]
    bundle = json.loads(exports["fhir"].get_data())
    requests = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ServiceRequest"
    ]
    # The first rank of the site's priorities, whatever it is called, is FHIR's stat.
    assert requests and {r["priority"] for r in requests} == {"stat"}
    assert "SKT" in texts["fhir"] and "NRD" in texts["json"]


def test_an_ended_outages_cases_read_as_they_were_after_the_routines_and_codes_change(
    app: Flask, client: FlaskClient, world: dict[str, str]
) -> None:
    assert "Omgående" not in LATER and '"SKT"' not in LATER and "Kedjebrott" not in LATER
    assert "scenarios.fjarr" not in LATER
    end_incident(app, world["incident_id"])
    login(app, client, "admin")
    done(client.post("/admin/site", data={"config_toml": LATER}))
    login(app, client, "secretary")
    for url in (f"/cases/{world['case_id']}", f"/catchup/cases/{world['case_id']}"):
        page = shown(client.get(url))
        assert "Omgående" in page and "Skiktbild" in page, url
        assert not re.search(r"(?<![\w-])(p1|SKT)(?![\w-])", page), url
    for url in (f"/incidents/{world['incident_id']}", f"/catchup/incidents/{world['incident_id']}"):
        assert "Kedjebrott i remissflödet" in shown(client.get(url)), url
    sheets = {
        kind: pdf_text(client.get(f"/print/cases/{world['case_id']}/{kind}.pdf").get_data())
        for kind in ("referral", "exam", "report")
    }
    assert "Omgående" in sheets["referral"] and "Skiktbild" in sheets["exam"]
    listing = client.get(f"/print/incidents/{world['incident_id']}/list.pdf?masked=0")
    # The scenario it ran under, as it was named then, not the routine's name today.
    listed = " ".join(pdf_text(listing.get_data()).split())
    assert "Scenario Kedjebrott i remissflödet" in listed
    assert "Remissflödet avbrutet" not in listed
    csv = shown(client.get(f"/catchup/incidents/{world['incident_id']}/export/csv"))
    assert "Omgående" in csv and "Skiktbild" in csv
    reviewer = shown(client.get(f"/routines/reviewer/cases/{world['other_id']}"))
    assert "Sänd direkt från skiktbildsalen" in reviewer  # the route as it was logged


def test_the_demo_drill_runs_on_the_sites_own_routine(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "--cases", "30"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        incident = db.session.scalars(select(Incident)).one()
        assert (incident.scenario, incident.title) == ("kedjan", "Kedjebrott i remissflödet")
        priorities = set(db.session.scalars(select(Case.priority)))
        assert priorities and priorities <= {"p1", "p2", "p3"}


def test_the_message_after_the_night_is_ticked_as_sent_to_the_routines_own_contact(
    app: Flask, client: FlaskClient, world: dict[str, str]
) -> None:
    login(app, client, "radiographer")
    page = shown(client.get("/routines/reviewer"))
    assert "Informera Bildsystemförvaltningen" in page
    tick = {"form_key": "t" * 20, "key": "forvaltningen_meddelad", "is_done": "1"}
    done(client.post("/routines/reviewer/steps", data=tick | {"incident_id": world["incident_id"]}))
    logged = shown(client.get(f"/incidents/{world['incident_id']}"))
    assert "Meddelande skickat till Bildsystemförvaltningen" in logged
