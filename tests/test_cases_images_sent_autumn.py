"""Images sent to PACS afterwards, typed in the repeated autumn hour (2026-10-25,
Europe/Stockholm: 02:00–02:59 comes twice, first 00:00–00:59 UTC, then 01:00–01:59 UTC). The
send time is read in the pass that puts it after the exam's start."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ExamRecord

from .factories import exam_data, referral_data


def _exam_started_at(app: Flask, client: FlaskClient, auth, started: datetime) -> int:
    """A case whose images are not in PACS, its exam started at `started`; still logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert (
        client.post(url + "/exam", data=exam_data(pacs_status="no", pacs_sent_at="")).status_code
        == 302
    )
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        assert exam is not None
        exam.started_at, exam.ended_at = started, started
        db.session.commit()
    return int(url.rsplit("/", 1)[-1])


def _send(client: FlaskClient, case_id: int, sent_at: str):
    return client.post(f"/cases/{case_id}/pacs", data={"form_key": "p" * 20, "sent_at": sent_at})


def _sent_at(app: Flask) -> tuple[str, datetime | None]:
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        assert exam is not None
        sent = exam.pacs_sent_at
        return exam.pacs_status, sent.replace(tzinfo=UTC) if sent else None


def test_a_send_in_the_second_pass_after_an_exam_in_the_second_pass_is_saved(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Started 02:10 in the second pass (01:10 UTC); 02:30 read as its first pass (00:30 UTC)
    # would be before it.
    case_id = _exam_started_at(app, client, auth, datetime(2026, 10, 25, 1, 10, tzinfo=UTC))
    response = _send(client, case_id, "2026-10-25T02:30")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _sent_at(app) == ("yes", datetime(2026, 10, 25, 1, 30, tzinfo=UTC))


def test_a_send_in_the_first_pass_after_an_exam_in_the_first_pass_stays_in_the_first(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _exam_started_at(app, client, auth, datetime(2026, 10, 25, 0, 10, tzinfo=UTC))
    assert _send(client, case_id, "2026-10-25T02:30").status_code == 302
    assert _sent_at(app) == ("yes", datetime(2026, 10, 25, 0, 30, tzinfo=UTC))


def test_a_send_before_the_start_in_both_passes_is_refused_beside_its_time(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _exam_started_at(app, client, auth, datetime(2026, 10, 25, 1, 40, tzinfo=UTC))
    response = _send(client, case_id, "2026-10-25T02:20")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "före undersökningens start, 2026-10-25 02:40 (UTC+1)." in page
    assert 'value="2026-10-25T02:20"' in page
    assert _sent_at(app) == ("no", None)
