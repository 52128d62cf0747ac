"""The access log: filtered by patient or by user, on screen and as CSV for log review."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.admin import views as admin_views
from webapp.extensions import db
from webapp.models import Case

from .factories import identity_data, referral_data, unidentified_referral_data
from .test_access_wall import login
from .test_form_attributes import inputs_of

FIRST = "191212121212"
SECOND = "198001010027"
# As the CSV writes them: Excel would show twelve digits as 1,91212E+11, the apostrophe keeps
# them text.
FIRST_CELL, SECOND_CELL = f"'{FIRST}", f"'{SECOND}"


@pytest.fixture
def logged(app: Flask) -> FlaskClient:
    """Two patients' cases; the radiographer opens the first, the secretary the second."""
    client = app.test_client()
    login(client, app, "radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    first = client.post("/cases/new", data=referral_data()).headers["Location"]
    second = client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="b",
            patient_name="Åsa Öberg",
            personal_number="19800101-0027",
            pregnancy="no",
        ),
    ).headers["Location"]
    assert client.get(first).status_code == 200
    client.post("/logout")
    login(client, app, "secretary")
    assert client.get(second).status_code == 200
    client.post("/logout")
    login(client, app, "admin")
    return client


def _csv_rows(client: FlaskClient, query: str) -> list[dict[str, str]]:
    response = client.get("/admin/audit.csv?" + query)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    header = text[1:].split("\r\n", 1)[0]
    assert header.split(";")[:3] == ["tid", "användare", "roll"]
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_access_log_filtered_by_patient_shows_only_that_patient(logged: FlaskClient) -> None:
    page = logged.get("/admin/audit?patient=19121212-1212").get_data(as_text=True)
    assert f"<td>{FIRST}</td>" in page
    assert SECOND not in page
    assert "<td>test-radiographer</td>" in page


def test_access_log_filtered_by_user_shows_only_that_user(logged: FlaskClient) -> None:
    page = logged.get("/admin/audit?username=test-secretary").get_data(as_text=True)
    assert "<td>test-secretary</td>" in page
    assert "<td>test-radiographer</td>" not in page
    assert f"<td>{SECOND}</td>" in page
    assert FIRST not in page


def test_access_log_exports_the_patient_filter_as_csv(logged: FlaskClient) -> None:
    rows = _csv_rows(logged, "patient=19121212-1212")
    assert rows
    assert {r["patient"] for r in rows} == {FIRST_CELL}
    assert "case_view" in {r["händelse"] for r in rows}
    assert all(r["användare"] and r["roll"] and r["vårdenhet"] for r in rows)


def test_access_log_exports_the_user_filter_as_csv(logged: FlaskClient) -> None:
    rows = _csv_rows(logged, "username=test-secretary")
    assert rows
    assert {r["användare"] for r in rows} == {"test-secretary"}
    assert SECOND_CELL in {r["patient"] for r in rows}


def test_reading_and_exporting_the_access_log_is_itself_logged(logged: FlaskClient) -> None:
    logged.get("/admin/audit?username=test-secretary")
    logged.get("/admin/audit.csv?username=test-secretary").get_data()
    rows = _csv_rows(logged, "username=test-admin")
    actions = [r["händelse"] for r in rows]
    assert "audit_view" in actions
    assert "audit_export" in actions


def test_access_log_csv_is_named_by_the_site_time(
    logged: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 18:56 UTC on a winter day is 19:56 in Stockholm, the time the admin's screen shows.
    monkeypatch.setattr(admin_views, "utcnow", lambda: datetime(2026, 12, 1, 18, 56, tzinfo=UTC))
    response = logged.get("/admin/audit.csv?username=test-admin")
    assert 'filename="atkomstlogg-20261201-1956.csv"' in response.headers["Content-Disposition"]


@pytest.fixture
def corrected(app: Flask) -> tuple[FlaskClient, str]:
    """A case opened while the patient had a reserve number, then identified; admin logged in."""
    client = app.test_client()
    login(client, app, "radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    case_url = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    assert client.get(case_url).status_code == 200
    response = client.post(
        case_url + "/identity",
        data=identity_data(),
    )
    assert response.status_code == 302
    client.post("/logout")
    login(client, app, "admin")
    with app.app_context():
        code = db.session.scalar(select(Case.code))
    return client, code


def _shown_actions(client: FlaskClient, query: str) -> list[str]:
    return [r["händelse"] for r in _csv_rows(client, query)]


def test_access_log_finds_a_reserve_number_typed_as_on_the_wristband(
    corrected: tuple[FlaskClient, str],
) -> None:
    client, _code = corrected
    rows = _csv_rows(client, "patient=RES-0007")
    assert "case_view" in {r["händelse"] for r in rows}
    assert {r["patient"] for r in rows} == {"RES-0007"}


def test_access_log_patient_filter_offers_a_keyboard_with_letters(
    corrected: tuple[FlaskClient, str],
) -> None:
    # Some regions' reserve numbers hold letters; a numeric keypad on the tablet has none.
    client, _code = corrected
    page = client.get("/admin/audit?patient=res-0007").get_data(as_text=True)
    patient = inputs_of(page)["patient"]
    assert patient["inputmode"] == "text"
    assert patient["autocapitalize"] == "characters"
    assert patient["value"] == "res-0007"
    assert "RES-0007" in page  # found as typed, in either case


def test_access_log_by_personnummer_includes_reads_before_the_identity_was_corrected(
    corrected: tuple[FlaskClient, str],
) -> None:
    client, _code = corrected
    rows = _csv_rows(client, "patient=19121212-1212")
    # The look at the case while the patient was unidentified is a look at this patient too.
    assert ("case_view", "RES-0007") in {(r["händelse"], r["patient"]) for r in rows}
    assert "identity_correct" in {r["händelse"] for r in rows}


def test_access_log_finds_a_case_code_typed_without_its_dash(
    corrected: tuple[FlaskClient, str],
) -> None:
    client, code = corrected
    typed = code.replace("-", "").lower()
    assert "case_view" in _shown_actions(client, f"case_code={typed}")
    page = client.get(f"/admin/audit?case_code={typed}").get_data(as_text=True)
    assert "Inga händelser." not in page


def test_access_log_says_so_next_to_a_mistyped_case_code(
    corrected: tuple[FlaskClient, str],
) -> None:
    client, code = corrected
    wrong = code[:-1] + ("2" if code[-1] != "2" else "3")
    page = client.get(f"/admin/audit?case_code={wrong}").get_data(as_text=True)
    assert 'id="case_code-error"' in page
    assert f'value="{wrong}"' in page


def test_access_log_filters_by_an_action_picked_by_its_swedish_name(
    corrected: tuple[FlaskClient, str],
) -> None:
    client, _code = corrected
    page = client.get("/admin/audit").get_data(as_text=True)
    assert '<option value="case_view">Ärende visat</option>' in page
    assert set(_shown_actions(client, "action=case_view")) == {"case_view"}


def test_access_log_names_the_case_by_its_code_on_screen_and_in_the_csv(
    corrected: tuple[FlaskClient, str],
) -> None:
    client, code = corrected
    page = client.get("/admin/audit?action=case_view").get_data(as_text=True)
    assert f'<td class="mono">{code}</td>' in page
    rows = _csv_rows(client, "action=case_view")
    assert {r["ärendekod"] for r in rows} == {code}


def test_searching_the_access_log_for_a_patient_is_itself_logged_against_that_patient(
    logged: FlaskClient,
) -> None:
    logged.get("/admin/audit?patient=19800101-0027")
    logged.get("/admin/audit.csv?patient=19800101-0027").get_data()
    rows = _csv_rows(logged, "patient=198001010027&username=test-admin")
    assert {r["händelse"] for r in rows} == {"audit_view", "audit_export"}
    assert {r["patient"] for r in rows} == {SECOND_CELL}


@pytest.mark.parametrize("typed", ["121212-1212", "121212 1212", "20121212-1212"])
def test_a_patients_log_extract_holds_no_other_patient_whose_number_contains_theirs(
    app: Flask, logged: FlaskClient, typed: str
) -> None:
    # 121212-1212 (born 2012) and 19121212-1212 share their last ten digits.
    login(logged, app, "radiographer")
    child = logged.post(
        "/cases/new",
        data=referral_data(
            key_suffix="c", patient_name="Lill Älvström", personal_number="20121212-1212"
        ),
    ).headers["Location"]
    assert logged.get(child).status_code == 200
    logged.post("/logout")
    login(logged, app, "admin")
    rows = _csv_rows(logged, f"patient={typed}")
    assert "case_view" in {r["händelse"] for r in rows}
    assert {r["patient"] for r in rows} == {"'201212121212"}


def test_a_patient_search_without_digits_or_letters_finds_no_one(logged: FlaskClient) -> None:
    # An extract for one patient must never hold every patient's reads.
    page = logged.get("/admin/audit?patient=--").get_data(as_text=True)
    assert FIRST not in page and SECOND not in page
    assert "Ange personnummer, reservnummer eller en del av ett nummer." in page
    assert _csv_rows(logged, "patient=--") == []


def test_searching_the_access_log_for_a_case_is_logged_against_that_cases_patient(
    app: Flask, logged: FlaskClient
) -> None:
    # A case's code names one patient: who read that case is a look at that patient, and the
    # patient's own extract must show it like a search by their number.
    with app.app_context():
        code = db.session.scalar(select(Case.code).where(Case.patient_id == SECOND))
    logged.get(f"/admin/audit?case_code={code}")
    logged.get(f"/admin/audit.csv?case_code={code.replace('-', '').lower()}").get_data()
    rows = [
        r
        for r in _csv_rows(logged, "patient=198001010027&username=test-admin")
        if "case_code" in r["detalj"]
    ]
    assert sorted(r["händelse"] for r in rows) == ["audit_export", "audit_view"]
    assert {r["ärendekod"] for r in rows} == {code}
    assert {r["patient"] for r in rows} == {SECOND_CELL}


def _actions(rows: list[dict[str, str]]) -> list[str]:
    return [r["händelse"] for r in rows]


def test_a_patients_extract_holds_the_boards_lists_and_exports_that_showed_them(
    app: Flask,
) -> None:
    # A board, the batch page, an export and a printed list show a whole incident in one row
    # that names no case: each was a look at every patient in it at the time.
    client = app.test_client()
    login(client, app, "radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    client.get("/board/")  # before the patient came: not a look at her
    client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="b",
            patient_name="Åsa Öberg",
            personal_number="19800101-0027",
            pregnancy="no",
        ),
    )
    client.get("/board/")
    with app.app_context():
        incident_id = db.session.scalar(select(Case.incident_id))
    assert client.get(f"/print/incidents/{incident_id}/list.pdf").status_code == 200
    client.post("/logout")
    login(client, app, "secretary")
    client.get(f"/catchup/incidents/{incident_id}")
    assert client.get(f"/catchup/incidents/{incident_id}/export/csv").status_code == 200
    client.post("/logout")
    login(client, app, "admin")

    rows = _csv_rows(client, "patient=19800101-0027")
    # The extract's own export is logged against her too, before its rows are read.
    assert sorted(_actions(rows)) == sorted(
        ["case_create", "board_view", "print", "batch_view", "export", "audit_export"]
    ), _actions(rows)
    by_case = _csv_rows(client, "case_code=" + _code_of(app, SECOND))
    assert set(_actions(by_case)) >= {"board_view", "print", "batch_view", "export"}


def test_a_list_naming_the_case_is_in_the_patients_extract(app: Flask) -> None:
    client = app.test_client()
    login(client, app, "radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post("/logout")
    login(client, app, "radiologist")
    case_id = int(location.rsplit("/", 1)[-1])
    client.put(
        "/api/drafts/" + "d" * 24,
        json={
            "kind": "report",
            "seq": 1,
            "case_id": str(case_id),
            "label": "",
            "data": {"form_key": "d" * 24, "sections-0-text": "Utkast"},
        },
    )
    client.get("/drafts")
    client.post("/logout")
    login(client, app, "admin")
    assert "drafts_view" in _actions(_csv_rows(client, "patient=19121212-1212"))
    assert "drafts_view" not in _actions(_csv_rows(client, "patient=19800101-0027"))


def _code_of(app: Flask, patient_id: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Case.code).where(Case.patient_id == patient_id)) or ""
