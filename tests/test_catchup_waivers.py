"""A waiver says who took the case out of the catch-up, when and why, wherever the case shows."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from .test_catchup import world as world  # the fixture

REASON = "Registrerad direkt i RIS av röntgen"
WAIVER = "Testa Secretary Åström"


@pytest.fixture
def waived(client: FlaskClient, world) -> int:
    case_id = world["ids"][1]
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": REASON})
    return case_id


@pytest.mark.parametrize("role", ["radiographer", "secretary", "admin"])
def test_the_case_page_shows_the_waiver(client: FlaskClient, auth, waived: int, role: str) -> None:
    auth.logout()
    auth.login(role)
    page = client.get(f"/cases/{waived}").get_data(as_text=True)
    assert "Undantaget från efterregistreringen" in page
    assert REASON in page and WAIVER in page


def test_the_csv_says_who_waived_and_when(client: FlaskClient, world, waived: int) -> None:
    raw = client.get(f"/catchup/incidents/{world['incident_id']}/export/csv").get_data()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    row = next(r for r in rows if r["ärendekod"] == world["codes"][1])
    assert row["undantagen orsak"] == REASON
    assert row["undantagen av"] == WAIVER
    assert row["undantagen tid"][:2] == "20"  # a local date and time


def test_the_checklist_says_why_a_case_was_waived(client: FlaskClient, world, waived: int) -> None:
    pdf = client.get(f"/catchup/incidents/{world['incident_id']}/export/pdf").get_data()
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Registrerad direkt i RIS" in " ".join(text.split())
