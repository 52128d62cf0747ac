"""An exam start typed more than a day before both its referral's arrival and its outage's start
(a mistyped year or month) is refused beside the start with everything typed kept, in the form
and in the service; an acute exam begun hours before its faxed referral arrived is saved."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.cases.errors import ExamStartTooEarly
from webapp.cases.exam_services import document_exam
from webapp.extensions import db
from webapp.models import ExamRecord, User

from .conftest import AuthActions
from .factories import exam_data, referral_data

KEPT = "Patienten orolig – lugnad"
TOO_EARLY = "Starttiden ligger mer än ett dygn före både remissens ankomst (2026-01-15 10:30)"


@pytest.fixture
def case_id(client: FlaskClient, auth: AuthActions) -> int:
    """A referral (arrived 2026-01-15 10:30) in a new incident, a radiographer logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    return int(location.rsplit("/", 1)[-1])


def _exam(app: Flask) -> ExamRecord | None:
    with app.app_context():
        return db.session.scalar(select(ExamRecord))


def test_an_exam_start_in_a_mistyped_year_is_refused_beside_the_start(
    app: Flask, client: FlaskClient, case_id: int
) -> None:
    data = exam_data(
        started_at="2016-01-15T10:50",
        ended_at="2016-01-15T10:58",
        pacs_sent_at="2016-01-15T11:00",
        notes=KEPT,
    )
    response = client.post(f"/cases/{case_id}/exam", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    beside = page.split('id="started_at-error"', 1)[1].split("</p>", 1)[0]
    assert TOO_EARLY in beside
    assert 'value="2016-01-15T10:50"' in page and KEPT in page and 'value="TMP-CT1-0042"' in page
    assert _exam(app) is None


def test_an_acute_exam_begun_hours_before_its_faxed_referral_arrived_is_saved(
    app: Flask, client: FlaskClient, case_id: int
) -> None:
    data = exam_data(
        started_at="2026-01-15T07:50", ended_at="2026-01-15T07:58", pacs_sent_at="2026-01-15T08:00"
    )
    assert client.post(f"/cases/{case_id}/exam", data=data).status_code == 302
    exam = _exam(app)
    assert exam is not None and exam.started_at == datetime(2026, 1, 15, 6, 50, tzinfo=UTC)


def test_an_exam_on_the_day_of_an_arrival_confirmed_days_before_the_outage_is_saved(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    refused = client.post("/cases/new", data=referral_data(arrived_at="2026-01-12T10:30"))
    shown = refused.get_data(as_text=True).split('name="arrival_confirmed_for"', 1)[1]
    confirmed_for = shown.split('value="', 1)[1].split('"', 1)[0]
    location = client.post(
        "/cases/new",
        data=referral_data(
            arrived_at="2026-01-12T10:30",
            arrival_confirmed="y",
            arrival_confirmed_for=confirmed_for,
        ),
    ).headers["Location"]
    data = exam_data(
        started_at="2026-01-12T10:50", ended_at="2026-01-12T10:58", pacs_sent_at="2026-01-12T11:00"
    )
    assert client.post(location + "/exam", data=data).status_code == 302
    assert _exam(app) is not None


def test_the_service_refuses_an_exam_start_in_a_mistyped_year(app: Flask, case_id: int) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "test-radiographer"))
        assert user is not None
        with pytest.raises(ExamStartTooEarly, match="mer än ett dygn före"):
            document_exam(
                case_id=case_id,
                user=user,
                values={
                    "modality": "CT",
                    "room": "DT 1",
                    "exam_code": "CT-HJ",
                    "exam_text": "DT hjärna utan kontrast",
                    "started_at": datetime(2016, 1, 15, 9, 50, tzinfo=UTC),
                    "ended_at": None,
                    "radiographers": "Kim Ström",
                    "modality_temp_id": "TMP-CT1-0042",
                    "pacs_status": "no",
                },
                form_key="s" * 20,
                digest="d",
                url=f"/cases/{case_id}",
            )
    assert _exam(app) is None
