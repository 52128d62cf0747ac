"""A PACS send time before the exam's start is refused by the exam service itself, not only by
the documentation form: the demo and any other caller document through the service."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.cases.errors import CaseError
from webapp.cases.exam_services import document_exam
from webapp.extensions import db
from webapp.models import ExamRecord, User

from .conftest import AuthActions
from .factories import referral_data

STARTED = datetime(2026, 1, 15, 9, 50, tzinfo=UTC)  # 10:50 at the site


@pytest.fixture
def case_id(client: FlaskClient, auth: AuthActions) -> int:
    """A referral in a new incident, with a radiographer logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    return int(location.rsplit("/", 1)[-1])


def _document(
    case_id: int,
    pacs_sent_at: datetime,
    *,
    started_at: datetime = STARTED,
    ended_at: datetime = datetime(2026, 1, 15, 9, 58, tzinfo=UTC),
) -> None:
    user = db.session.scalar(select(User).where(User.username == "test-radiographer"))
    assert user is not None
    values: dict[str, Any] = {
        "modality": "CT",
        "room": "DT 1",
        "exam_code": "CT-HJ",
        "exam_text": "DT hjärna utan kontrast",
        "started_at": started_at,
        "ended_at": ended_at,
        "radiographers": "Kim Ström",
        "modality_temp_id": "TMP-CT1-0042",
        "pacs_status": "yes",
        "pacs_sent_at": pacs_sent_at,
    }
    document_exam(case_id=case_id, user=user, values=values, form_key="s" * 20, digest="d", url="/")


def test_the_service_refuses_images_sent_before_the_exam_started(app: Flask, case_id: int) -> None:
    with app.app_context():
        with pytest.raises(CaseError, match=r"före undersökningens start, 2026-01-15 10:50\."):
            _document(case_id, datetime(2026, 1, 15, 9, 30, tzinfo=UTC))
        assert db.session.scalar(select(ExamRecord)) is None


def test_the_service_saves_images_sent_at_the_exam_start(app: Flask, case_id: int) -> None:
    with app.app_context():
        _document(case_id, STARTED)
        exam = db.session.scalar(select(ExamRecord))
        assert exam is not None and exam.pacs_sent_at is not None
        assert exam.pacs_sent_at.replace(tzinfo=UTC) == STARTED
