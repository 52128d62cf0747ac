"""A sheet printed in a drill says ÖVNING; printed again after its case moved to the real outage it
is a new sheet (no KOPIA of the drill's), without ÖVNING, and says ÄNDRAD."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from .factories import declare_incident, exam_data, incident_of, referral_data
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
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


def _case_beside_second_outage(client: FlaskClient, auth: Any) -> tuple[int, int]:
    """A case taken in one real outage, another real outage open beside it: (other, case)."""
    auth.login("radiographer")
    first = declare_incident(client, "om_ris")
    second = declare_incident(client, "pacs")
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    return (first if incident_of(client.application, case_id) == second else second), case_id


def _move(client: FlaskClient, case_id: int, target: int) -> None:
    data = move_form(client, case_id, target, "Fel driftstopp")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302


def test_a_cover_reprinted_after_a_move_between_real_outages_is_a_copy(
    client: FlaskClient, auth: Any
) -> None:
    other, case_id = _case_beside_second_outage(client, auth)
    first = client.get(f"/print/cases/{case_id}/cover.pdf").get_data()
    _move(client, case_id, other)
    again = client.get(f"/print/cases/{case_id}/cover.pdf").get_data()
    text = pdf_text(again)
    assert "ÄNDRAD" not in text
    assert "KOPIA" in text
    # Neither the first print nor the copy is out of date at the scan station.
    for pdf in (first, again):
        payload = decoded_payloads(pdf, STANDARD_FAX)[0][0]
        auth.logout()
        auth.login("secretary")
        scanned = client.get("/scan", query_string={"code": payload}, follow_redirects=True)
        assert "Papperet är inaktuellt" not in scanned.get_data(as_text=True)


def test_a_cover_changed_since_a_move_names_only_what_it_prints(
    client: FlaskClient, auth: Any
) -> None:
    other, case_id = _case_beside_second_outage(client, auth)
    client.get(f"/print/cases/{case_id}/cover.pdf")
    _move(client, case_id, other)
    assert client.post(f"/cases/{case_id}/exam", data=exam_data()).status_code == 302
    text = " ".join(_print(client, case_id, "cover").split())
    assert "ÄNDRAD" in text
    assert "dokumentationen" in text
    assert "ärendets uppgifter" not in text
