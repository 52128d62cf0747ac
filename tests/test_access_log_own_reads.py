"""The access log lists patients: whoever reads it (on screen or as CSV) is in the extract of
each patient it showed, as a board or a list is, at one row a look however many it listed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.admin.log_reads import SHOWN_PATIENTS, shown_details
from webapp.models import AuditEvent

from .factories import audit_count, audit_events_since, referral_data
from .test_access_wall import login

FIRST = "19121212-1212"
SECOND = "19800101-0027"
# A number no case has: the access log names it only as a search of it.
NO_CASE = "20121212-1212"


@pytest.fixture
def reviewer(app: Flask, tablet_factory: Callable[..., FlaskClient]) -> FlaskClient:
    """Two patients' cases, the radiographer opening the first and the secretary the second;
    the admin who then reviews the log, and a second admin looking up who read it."""
    client = app.test_client()
    login(client, app, "radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    first = client.post("/cases/new", data=referral_data()).headers["Location"]
    second = client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="b", patient_name="Åsa Öberg", personal_number=SECOND, pregnancy="no"
        ),
    ).headers["Location"]
    assert client.get(first).status_code == 200
    client.post("/logout")
    login(client, app, "secretary")
    assert client.get(second).status_code == 200
    client.post("/logout")
    return tablet_factory("granskare", role="admin")


def _extract(app: Flask, tablet_factory: Callable[..., FlaskClient], patient: str) -> list:
    """The reviewer's reads of the log in the patient's extract, looked up by another admin."""
    other = tablet_factory("logg-ansvarig", role="admin")
    text = other.get(f"/admin/audit.csv?patient={patient}&username=granskare").get_data()
    rows = csv.DictReader(io.StringIO(text.decode("utf-8-sig")), delimiter=";")
    return [(r["händelse"], r["detalj"]) for r in rows]


def test_viewing_the_access_log_is_in_the_extract_of_each_patient_it_showed(
    app: Flask, reviewer: FlaskClient, tablet_factory: Callable[..., FlaskClient]
) -> None:
    # The secretary opened the second patient's case only: the page lists her alone.
    page = reviewer.get("/admin/audit?username=test-secretary").get_data(as_text=True)
    assert "198001010027" in page and "191212121212" not in page
    shown = _extract(app, tablet_factory, SECOND)
    assert [action for action, _ in shown] == ["audit_view"]
    assert "username=test-secretary" in shown[0][1]
    assert _extract(app, tablet_factory, FIRST) == []


def test_downloading_the_access_log_is_in_the_extract_of_each_patient_it_held(
    app: Flask, reviewer: FlaskClient, tablet_factory: Callable[..., FlaskClient]
) -> None:
    text = reviewer.get("/admin/audit.csv?username=test-secretary").get_data().decode("utf-8")
    assert "198001010027" in text and "191212121212" not in text
    assert [action for action, _ in _extract(app, tablet_factory, SECOND)] == ["audit_export"]
    assert _extract(app, tablet_factory, FIRST) == []


def test_a_patient_the_log_names_without_a_case_is_in_their_extract_too(
    app: Flask, reviewer: FlaskClient, tablet_factory: Callable[..., FlaskClient]
) -> None:
    # The search is a look at that number; the page that lists the search shows the number.
    searcher = tablet_factory("sokare", role="admin")
    searcher.get(f"/admin/audit?patient={NO_CASE}")
    assert "201212121212" in reviewer.get("/admin/audit?username=sokare").get_data(as_text=True)
    assert [action for action, _ in _extract(app, tablet_factory, NO_CASE)] == ["audit_view"]


def test_each_look_at_the_log_writes_one_row_however_many_it_lists(
    app: Flask, reviewer: FlaskClient
) -> None:
    # The log's own rows are listed by the next look, and named by it: the log grows a row a
    # look, never a row per row listed.
    for _ in range(3):
        before = audit_count(app)
        assert reviewer.get("/admin/audit").status_code == 200
        written: list[AuditEvent] = audit_events_since(app, before)
        assert [row.action for row in written] == ["audit_view"]
    before = audit_count(app)
    reviewer.get("/admin/audit.csv").get_data()
    assert [row.action for row in audit_events_since(app, before)] == ["audit_export"]


def test_a_long_list_is_named_over_as_many_rows_as_its_detail_needs() -> None:
    codes = [f"C{n:05d}" for n in range(400)]
    patients = [f"RES-{n:04d}" for n in range(100)]
    details = shown_details("page=2", codes, patients)
    assert len(details) > 1 and all(len(d) <= 2000 for d in details)
    assert details[0].startswith("page=2")
    joined = " ".join(details)
    assert all(code in joined for code in codes) and all(p in joined for p in patients)
    # Every row naming a patient says so first, where the patient filter looks for them.
    for detail in details:
        if "RES-" in detail:
            assert SHOWN_PATIENTS in detail
