"""Pages listing event times in order mark a time in the hour the clocks go back (2026-10-25,
Europe/Stockholm: 02:00–02:59 comes twice) with its offset, as the follow-up does: unmarked, two
events an hour apart read as the same time, or the course as going back in time."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from webapp.extensions import db
from webapp.models import RecordVersion, RisPacsCleanUp

from .factories import DEFAULT_PIN, exam_data, referral_data
from .other_site_support import visible
from .test_cases_cancel_ris_pacs import _clean_up_section
from .test_catchup_ris_pacs_clean_up import _cancelled, _record
from .test_followup_clock_changes import _outage

FIRST_PASS = datetime(2026, 10, 25, 0, 40, tzinfo=UTC)  # 02:40 summer time
SECOND_PASS = datetime(2026, 10, 25, 1, 40, tzinfo=UTC)  # 02:40 winter time


def _text(client: FlaskClient, url: str) -> str:
    return " ".join(visible(client.get(url).get_data(as_text=True)).split())


def test_the_incident_page_marks_its_start_and_log_in_the_repeated_hour(
    app: Flask, client: FlaskClient
) -> None:
    # Declared 02:40 summer time, working again 02:10 winter time: the log reads backwards
    # unmarked.
    incident_id = _outage(app, FIRST_PASS, datetime(2026, 10, 25, 1, 10, tzinfo=UTC), SECOND_PASS)
    client.post("/login", data={"username": "clock-sara", "secret": DEFAULT_PIN})
    page = _text(client, f"/incidents/{incident_id}")
    assert "Start 2026-10-25 02:40 (UTC+2)" in page
    assert "Avslutat 2026-10-25 02:40 (UTC+1)" in page
    assert "2026-10-25 02:10 (UTC+1) Sara S" in page


def test_the_case_page_marks_the_exam_and_its_images_sent_in_the_repeated_hour(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data(arrived_at="2026-10-25T01:30")).headers[
        "Location"
    ]
    # Started 02:50 summer time, ended 02:05 winter time, images sent 02:10 winter time.
    data = exam_data(
        started_at="2026-10-25T02:50",
        ended_at="2026-10-25T02:05",
        pacs_sent_at="2026-10-25T02:10",
    )
    assert client.post(url + "/exam", data=data).status_code == 302
    page = _text(client, url)
    assert "2026-10-25 02:50 (UTC+2) – 02:05 (UTC+1)" in page
    assert "2026-10-25 02:10 (UTC+1)" in page
    assert "2026-10-25 01:30 (UTC" not in page  # the hour before is not repeated


def test_the_case_history_marks_versions_in_the_repeated_hour(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    data = exam_data(pacs_status="no", pacs_sent_at="")
    assert client.post(url + "/exam", data=data).status_code == 302
    sent = {"form_key": "p" * 20, "sent_at": "2026-10-25T02:20"}
    assert client.post(url + "/pacs", data=sent).status_code == 302
    with app.app_context():
        db.session.execute(update(RecordVersion).values(changed_at=SECOND_PASS))
        db.session.commit()
    page = _text(client, url + "/history")
    assert "2026-10-25 02:40 (UTC+1)" in page  # when the version was written
    assert "2026-10-25 02:20 (UTC+2)" in page  # the send time it changed


def test_the_clean_up_list_marks_a_clean_up_in_the_repeated_hour(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, _url = _cancelled(client, auth)
    assert _record(client, incident_id, case_id).status_code == 302
    with app.app_context():
        db.session.execute(update(RisPacsCleanUp).values(recorded_at=SECOND_PASS))
        db.session.commit()
    page = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    assert "2026-10-25 02:40 (UTC+1)" in _clean_up_section(page)
