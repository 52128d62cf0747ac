"""Sheets mark a time in the hour the clocks go back (2026-10-25, Europe/Stockholm: 02:00–02:59
comes twice) with its offset, as the case page and the CSV export do: unmarked, the paper in the
red tray reads as an exam that ended before it started, and the secretary keys RIS from it."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import exam_data, referral_data, report_data
from .printforms.conftest import pdf_text


def _case_in_the_repeated_hour(client: FlaskClient, auth) -> str:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data(arrived_at="2026-10-25T02:30")).headers[
        "Location"
    ]
    # Started 02:50 summer time, ended 02:05 winter time, images sent 02:10 winter time.
    data = exam_data(
        started_at="2026-10-25T02:50",
        ended_at="2026-10-25T02:05",
        pacs_sent_at="2026-10-25T02:10",
    )
    assert client.post(url + "/exam", data=data).status_code == 302
    return url


def _sheet(client: FlaskClient, url: str, kind: str) -> str:
    case_id = url.rsplit("/", 1)[-1]
    response = client.get(f"/print/cases/{case_id}/{kind}.pdf")
    assert response.status_code == 200
    return " ".join(pdf_text(response.get_data()).split())


def test_the_documentation_sheet_marks_start_end_and_images_sent_in_the_repeated_hour(
    client: FlaskClient, auth
) -> None:
    url = _case_in_the_repeated_hour(client, auth)
    text = _sheet(client, url, "exam")
    assert "Start 2026-10-25 02:50 (UTC+2)" in text
    assert "Slut 2026-10-25 02:05 (UTC+1)" in text
    assert "2026-10-25 02:10 (UTC+1)" in text


def test_the_referral_sheet_marks_its_arrival_in_the_repeated_hour(
    client: FlaskClient, auth
) -> None:
    url = _case_in_the_repeated_hour(client, auth)
    text = _sheet(client, url, "referral")
    assert "2026-10-25 02:30 (UTC+" in text


def test_a_time_outside_the_repeated_hour_prints_as_before(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert client.post(url + "/exam", data=exam_data()).status_code == 302
    auth.login("radiologist")
    case_id = url.rsplit("/", 1)[-1]
    assert client.post(f"/reporting/{case_id}", data=report_data()).status_code == 302
    text = _sheet(client, url, "exam")
    assert "Start 2026-01-15 10:50 Slut 2026-01-15 10:58" in text
    assert "(UTC" not in text and "(UTC" not in _sheet(client, url, "report")
