"""An exam documented as lasting more than twelve hours (an end on the wrong day) is refused
beside its end with everything typed kept, on the form a documentation blank opens too, and in
the service; a long interventional procedure within the bound is saved."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from webapp.cases.errors import ExamTooLong
from webapp.cases.exam_services import document_exam
from webapp.extensions import db
from webapp.models import ExamRecord, ReservedCode, User

from .conftest import AuthActions
from .factories import exam_data, referral_data

TOO_LONG = (
    "Undersökningen kan inte ha pågått mer än 12 timmar (start 2026-01-15 10:50). "
    "Kontrollera sluttidens datum och klockslag."
)
KEPT = "Patienten orolig – lugnad"


@pytest.fixture
def case_id(client: FlaskClient, auth: AuthActions) -> int:
    """A referral in a new incident, with a radiographer logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    return int(location.rsplit("/", 1)[-1])


def _beside(page: str, field_id: str) -> str:
    return page.split(f'id="{field_id}-error"', 1)[1].split("</p>", 1)[0]


def _exam(app: Flask) -> ExamRecord | None:
    with app.app_context():
        return db.session.scalar(select(ExamRecord))


def _refused(app: Flask, response: TestResponse, typed: str) -> None:
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert TOO_LONG in _beside(page, "ended_at")
    assert f'value="{typed}"' in page and KEPT in page and 'value="TMP-CT1-0042"' in page
    assert _exam(app) is None


def test_an_exam_ending_two_days_after_its_start_is_refused_beside_its_end(
    app: Flask, client: FlaskClient, case_id: int
) -> None:
    data = exam_data(ended_at="2026-01-17T10:58", notes=KEPT)
    _refused(app, client.post(f"/cases/{case_id}/exam", data=data), "2026-01-17T10:58")


def test_an_exam_ending_just_over_twelve_hours_after_its_start_is_refused(
    app: Flask, client: FlaskClient, case_id: int
) -> None:
    data = exam_data(ended_at="2026-01-15T22:51", notes=KEPT)
    _refused(app, client.post(f"/cases/{case_id}/exam", data=data), "2026-01-15T22:51")


def test_a_long_interventional_procedure_of_twelve_hours_is_saved(
    app: Flask, client: FlaskClient, case_id: int
) -> None:
    data = exam_data(ended_at="2026-01-15T22:50", pacs_sent_at="2026-01-15T22:55")
    response = client.post(f"/cases/{case_id}/exam", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    exam = _exam(app)
    assert exam is not None and exam.ended_at == datetime(2026, 1, 15, 21, 50, tzinfo=UTC)


def test_a_documentation_blank_keyed_with_an_end_on_the_wrong_day_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions, case_id: int
) -> None:
    auth.logout()
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLD", "count": "1"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    auth.logout()
    auth.login("secretary")
    joined = client.post(f"/blanks/{code}/attach/confirm", data={"case_id": str(case_id)})
    assert joined.headers["Location"].endswith(f"/cases/{case_id}/exam")
    data = exam_data(ended_at="2026-01-16T10:58", notes=KEPT)
    _refused(app, client.post(f"/cases/{case_id}/exam", data=data), "2026-01-16T10:58")


def test_the_service_refuses_an_exam_ending_two_days_after_its_start(
    app: Flask, case_id: int
) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "test-radiographer"))
        assert user is not None
        with pytest.raises(ExamTooLong, match=r"12 timmar \(start 2026-01-15 10:50\)"):
            document_exam(
                case_id=case_id,
                user=user,
                values={
                    "modality": "CT",
                    "room": "DT 1",
                    "exam_code": "CT-HJ",
                    "exam_text": "DT hjärna utan kontrast",
                    "started_at": datetime(2026, 1, 15, 9, 50, tzinfo=UTC),
                    "ended_at": datetime(2026, 1, 17, 9, 58, tzinfo=UTC),
                    "radiographers": "Kim Ström",
                    "modality_temp_id": "TMP-CT1-0042",
                    "pacs_status": "no",
                },
                form_key="s" * 20,
                digest="d",
                url=f"/cases/{case_id}",
            )
    assert _exam(app) is None
