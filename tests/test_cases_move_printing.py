"""A sheet printed in a drill says ÖVNING; printed again after its case moved to the real outage it
is a new sheet (no KOPIA of the drill's), without ÖVNING, and says ÄNDRAD."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from .factories import exam_data
from .printforms.conftest import pdf_text
from .test_cases_move import drill_case_beside_outage, move_form
from .test_printing import _report

KINDS = ["referral", "referral-anon", "exam", "report", "report-anon", "cover"]


def _print(client: FlaskClient, case_id: int, kind: str) -> str:
    response = client.get(f"/print/cases/{case_id}/{kind}.pdf")
    assert response.status_code == 200
    return pdf_text(response.get_data())


def _documented_drill_case(client: FlaskClient, auth: Any) -> tuple[int, int]:
    """A drill's case with an exam and a signed report, a real outage open beside it."""
    _drill, real, case_id = drill_case_beside_outage(client, auth)
    assert client.post(f"/cases/{case_id}/exam", data=exam_data()).status_code == 302
    auth.login("radiologist")
    report = client.post(f"/reporting/{case_id}", data=_report("preliminary", "p" * 20))
    assert report.status_code == 302
    return real, case_id


@pytest.mark.parametrize("kind", KINDS)
def test_a_sheet_printed_in_the_drill_is_no_copy_after_the_move(
    client: FlaskClient, auth: Any, kind: str
) -> None:
    real, case_id = _documented_drill_case(client, auth)
    assert "ÖVNING" in _print(client, case_id, kind)
    data = move_form(client, case_id, real, "Riktig patient")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302
    again = _print(client, case_id, kind)
    assert "ÖVNING" not in again
    assert "KOPIA" not in again
    assert "ÄNDRAD" in again


def test_a_sheet_printed_twice_after_the_move_is_a_copy(client: FlaskClient, auth: Any) -> None:
    real, case_id = _documented_drill_case(client, auth)
    _print(client, case_id, "report")
    data = move_form(client, case_id, real, "Riktig patient")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302
    _print(client, case_id, "report")
    assert "KOPIA" in _print(client, case_id, "report")


@pytest.mark.parametrize("kind", ["referral", "report"])
def test_the_changed_mark_names_the_drill(client: FlaskClient, auth: Any, kind: str) -> None:
    real, case_id = _documented_drill_case(client, auth)
    _print(client, case_id, kind)
    data = move_form(client, case_id, real, "Riktig patient")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302
    assert "övning/skarpt driftstopp" in " ".join(_print(client, case_id, kind).split())
