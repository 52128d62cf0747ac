"""Every scan at the scan station is in the access log, a refused one included."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.codes import make_case_payload
from webapp.extensions import db
from webapp.models import Incident

from .catchup_support import reserve_blank
from .catchup_world_support import world as world  # the fixture, shared
from .factories import audit_events, make_user, second_site


def _mistyped(code: str) -> str:
    return code[:-1] + ("2" if code[-1] != "2" else "3")


@pytest.mark.parametrize(
    ("kind", "status"),
    [("mistyped", 400), ("unknown", 404), ("incident", 404), ("garbage", 400)],
)
def test_a_refused_scan_is_logged_with_the_code_as_scanned(
    app: Flask, client: FlaskClient, world, kind: str, status: int
) -> None:
    scanned = {
        "mistyped": _mistyped(world["codes"][0]).lower(),
        "unknown": "K7M-2Q2",  # a valid code that no case has
        "incident": "RR1:I999:LST:1",
        "garbage": "RR1:XYZ",
    }[kind]
    response = client.get("/scan", query_string={"code": scanned})
    assert response.status_code == status
    rows = audit_events(app, "scan_refused")
    assert len(rows) == 1
    row = rows[0]
    assert row.username == "test-secretary" and row.role == "secretary"
    assert row.detail.startswith(scanned)
    assert row.case_id is None and row.patient_ref == ""
    assert audit_events(app, "scan") == []


def test_a_scan_of_another_sites_sheet_is_logged_without_that_sites_patient(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    site_id = second_site(app)
    with app.app_context():
        make_user(role="secretary", username="lby-sek", site_id=site_id)
    auth.logout()
    auth.login("secretary", username="lby-sek")
    payload = make_case_payload(world["codes"][0], "UTL", 1)
    assert client.get("/scan", query_string={"code": payload}).status_code == 404
    (row,) = audit_events(app, "scan_refused")
    assert row.site_id == site_id and row.username == "lby-sek"
    assert row.case_id is None and row.patient_ref == "" and row.incident_id is None
    assert payload in row.detail and "Röntgen Exempelstad" in row.detail
    assert "Älvström" not in row.detail and "19121212" not in row.detail


def test_an_empty_scan_field_sent_is_not_a_scan(app: Flask, client: FlaskClient, world) -> None:
    assert client.get("/scan", query_string={"code": "  "}).status_code == 200
    assert audit_events(app, "scan_refused") == []


def test_a_scanned_incident_list_is_logged_as_a_scan_of_that_incident(
    app: Flask, client: FlaskClient, world
) -> None:
    with app.app_context():
        stamp = db.session.get(Incident, world["incident_id"]).list_stamp
    payload = f"RR1:I{world['incident_id']}-{stamp}:LST:2"
    assert client.get("/scan", query_string={"code": payload}).status_code == 302
    (row,) = audit_events(app, "scan")
    assert row.incident_id == world["incident_id"] and row.detail == payload
    assert row.case_id is None


def test_a_scanned_unused_binder_blank_is_logged_as_a_scan(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    code = reserve_blank(app, client, auth, "BLD")
    auth.login("secretary")
    payload = make_case_payload(code, "BLD", 1)
    response = client.get("/scan", query_string={"code": payload})
    assert response.headers["Location"].endswith(f"/blanks/{code}/attach")
    (row,) = audit_events(app, "scan")
    assert row.detail == payload and row.case_id is None and row.patient_ref == ""
    auth.logout()
    auth.login("admin")
    raw = client.get(f"/admin/audit.csv?case_code={code}").get_data().decode("utf-8-sig")
    actions = [r["händelse"] for r in csv.DictReader(io.StringIO(raw), delimiter=";")]
    assert "scan" in actions


def test_the_access_log_shows_a_refused_scan_and_finds_it_by_the_scanned_code(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    wrong = _mistyped(world["codes"][0])
    client.get("/scan", query_string={"code": "K7M2Q2"})
    client.get("/scan", query_string={"code": wrong})
    auth.logout()
    auth.login("admin")
    page = client.get("/admin/audit?action=scan_refused").get_data(as_text=True)
    assert "Skanning nekad" in page and "K7M2Q2" in page
    raw = client.get("/admin/audit.csv?case_code=K7M-2Q2").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw), delimiter=";"))
    assert [(r["händelse"], r["detalj"][:6]) for r in rows] == [("scan_refused", "K7M2Q2")]


def test_a_refused_scan_of_markup_is_logged_without_it(
    app: Flask, client: FlaskClient, world
) -> None:
    scanned = "<script>alert(1)</script>"
    assert client.get("/scan", query_string={"code": scanned}).status_code == 400
    (row,) = audit_events(app, "scan_refused")
    assert row.detail.startswith("?script?alert?1??/script? – ")
    assert "<" not in row.detail and ">" not in row.detail


@pytest.mark.parametrize("scanned", ["RR1:\x00\x01\x02\xff", "\x00K7M2Q2"])
def test_a_scan_of_a_binary_qr_code_is_refused_on_the_scan_page_and_logged(
    app: Flask, client: FlaskClient, world, scanned: str
) -> None:
    # A camera decodes a binary QR code of another system to control characters, NUL included.
    response = client.get("/scan", query_string={"code": scanned})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="code-error"' in page and "Skanningsstation" in page
    assert "\x00" not in page
    (row,) = audit_events(app, "scan_refused")
    assert row.detail.startswith(scanned.replace("\x00", "?").replace("\x01", "?")[:4])
    assert "\x00" not in row.detail


def test_a_nul_character_outside_the_scan_field_is_still_refused(
    client: FlaskClient, world
) -> None:
    response = client.get("/scan", query_string={"code": "K7M2Q2", "x": "\x00"})
    assert response.status_code == 400
    assert "Begäran kunde inte tolkas." in response.get_data(as_text=True)
