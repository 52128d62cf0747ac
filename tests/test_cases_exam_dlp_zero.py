"""A DLP of 0 beside a CTDIvol above 0 (a scan with a dose yet no dose-length product) is refused
beside the DLP with its own message, not the swapped one: nothing was swapped, the DLP is missing
or mistyped. In the service too. Both 0 (no scan dose at all) is still saved."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.cases.errors import DlpZero
from webapp.cases.exam_services import document_exam
from webapp.dose_rule import DLP_ZERO
from webapp.extensions import db
from webapp.i18n_en import EN
from webapp.models import ExamRecord, User

from .conftest import AuthActions
from .factories import exam_data, referral_data

ZERO = (
    "En undersökning med CTDIvol (52,1 mGy) har en DLP över 0 mGy·cm. Skriv DLP från "
    "dosrapporten, eller lämna fältet tomt om den inte är känd."
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


def _exams(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(ExamRecord.id))) or 0)


def test_a_dlp_of_0_with_a_ctdivol_is_refused_beside_the_dlp_not_as_swapped(
    app: Flask, client: FlaskClient, case_id: int
) -> None:
    data = exam_data(dlp_mgycm="0", ctdivol_mgy="52,1", notes=KEPT)
    response = client.post(f"/cases/{case_id}/exam", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    beside = _beside(page, "dlp_mgycm")
    assert ZERO in beside and "omkastade" not in beside
    assert 'value="0"' in page and 'value="52,1"' in page and KEPT in page
    assert _exams(app) == 0


def test_the_dlp_zero_message_has_an_english_translation() -> None:
    assert DLP_ZERO in EN and "%(ctdivol)s" in EN[DLP_ZERO]


def test_the_service_refuses_a_dlp_of_0_with_a_ctdivol(app: Flask, case_id: int) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "test-radiographer"))
        assert user is not None
        with pytest.raises(DlpZero, match=r"CTDIvol \(52,1 mGy\) har en DLP över 0"):
            document_exam(
                case_id=case_id,
                user=user,
                values={
                    "modality": "CT",
                    "room": "DT 1",
                    "exam_code": "CT-HJ",
                    "exam_text": "DT hjärna utan kontrast",
                    "started_at": datetime(2026, 1, 15, 9, 50, tzinfo=UTC),
                    "ended_at": datetime(2026, 1, 15, 9, 58, tzinfo=UTC),
                    "radiographers": "Kim Ström",
                    "modality_temp_id": "TMP-CT1-0042",
                    "dlp_mgycm": Decimal("0"),
                    "ctdivol_mgy": Decimal("52.1"),
                    "pacs_status": "no",
                },
                form_key="z" * 20,
                digest="d",
                url=f"/cases/{case_id}",
            )
    assert _exams(app) == 0
