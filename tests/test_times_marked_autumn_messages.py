"""A cancelled case's banner and the messages about images sent to PACS mark a time in the hour
the clocks go back (2026-10-25, Europe/Stockholm: 02:00–02:59 comes twice) with its offset, as
the rest of the case page does: unmarked, "before the start, 02:40" is ambiguous."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from webapp.cases.errors import CaseError
from webapp.extensions import db
from webapp.models import Case

from .factories import exam_data, referral_data
from .other_site_support import visible
from .test_cases_exam_pacs_order import _document
from .test_cases_exam_sent_time import _beside
from .test_cases_images_sent_autumn import _exam_started_at, _send
from .test_catchup_ris_pacs_clean_up import _cancelled

SECOND_PASS = datetime(2026, 10, 25, 1, 40, tzinfo=UTC)  # 02:40 winter time


def _text(page: str) -> str:
    return " ".join(visible(page).split())


def test_a_cancelled_case_marks_its_cancellation_time_in_the_repeated_hour(
    app: Flask, client: FlaskClient, auth
) -> None:
    _incident_id, case_id, url = _cancelled(client, auth)
    with app.app_context():
        db.session.execute(update(Case).where(Case.id == case_id).values(cancelled_at=SECOND_PASS))
        db.session.commit()
    assert "Makulerat 2026-10-25 02:40 (UTC+1):" in _text(client.get(url).get_data(as_text=True))


def test_images_sent_before_a_start_in_the_repeated_hour_name_the_start_marked(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _exam_started_at(app, client, auth, SECOND_PASS)
    response = _send(client, case_id, "2026-10-25T02:20")
    assert response.status_code == 409
    beside = html.unescape(_beside(response.get_data(as_text=True), "sent_at"))
    assert "före undersökningens start, 2026-10-25 02:40 (UTC+1)." in beside


def test_the_exam_form_names_a_start_in_the_repeated_hour_marked(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data(arrived_at="2026-10-25T01:00")).headers[
        "Location"
    ]
    data = exam_data(
        started_at="2026-10-25T02:50", ended_at="2026-10-25T02:55", pacs_sent_at="2026-10-25T01:30"
    )
    response = client.post(url + "/exam", data=data)
    assert response.status_code == 400
    beside = html.unescape(_beside(response.get_data(as_text=True), "pacs_sent_at"))
    assert "före undersökningens start, 2026-10-25 02:50 (UTC+2)." in beside


def test_the_exam_service_names_a_start_in_the_repeated_hour_marked(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    with app.app_context():
        with pytest.raises(CaseError) as refused:
            _document(
                case_id,
                datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
                started_at=SECOND_PASS,
                ended_at=SECOND_PASS,
            )
        assert "före undersökningens start, 2026-10-25 02:40 (UTC+1)." in str(refused.value)


def test_images_already_sent_in_the_repeated_hour_say_when_marked(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _exam_started_at(app, client, auth, datetime(2026, 10, 25, 0, 10, tzinfo=UTC))
    assert _send(client, case_id, "2026-10-25T02:20").status_code == 302
    # Another tablet's page, opened before: a form of its own.
    response = client.post(
        f"/cases/{case_id}/pacs", data={"form_key": "b" * 20, "sent_at": "2026-10-25T02:30"}
    )
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "redan registrerade som skickade till PACS 2026-10-25 02:20 (UTC+2)." in page
