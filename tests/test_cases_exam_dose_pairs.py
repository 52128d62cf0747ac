"""The DLP against the CTDIvol (DLP = CTDIvol × scanned length in cm), refused beside the DLP
with everything typed kept, in the form and the service:
- a DLP smaller than the CTDIvol (a scan under 1 cm: the two typed in each other's field),
  naming both values and their units;
- a DLP of 0 beside a CTDIvol above 0 with its own message: nothing was swapped, the DLP is
  missing or mistyped.
Real values, a DLP equal to the CTDIvol (a 1 cm scan) and both 0 (no scan dose) are saved."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.cases.errors import CaseError, DlpZero, DosesSwapped
from webapp.cases.exam_services import document_exam
from webapp.dose_rule import DLP_ZERO, DOSES_SWAPPED
from webapp.extensions import db
from webapp.i18n_en import EN
from webapp.models import ExamRecord, User

from .conftest import AuthActions
from .factories import exam_data, referral_data

SWAPPED = (
    "DLP (52,1 mGy·cm) är mindre än CTDIvol (812,5 mGy): värdena ser ut att vara omkastade. "
    "DLP är CTDIvol gånger scannad längd i cm."
)
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


@pytest.mark.parametrize(
    ("dlp", "ctdivol", "said", "not_said"),
    [("52,1", "812,5", SWAPPED, "DLP över 0"), ("0", "52,1", ZERO, "omkastade")],
)
def test_a_dlp_that_cannot_go_with_the_ctdivol_is_refused_beside_the_dlp_and_the_typing_kept(
    app: Flask, client: FlaskClient, case_id: int, dlp: str, ctdivol: str, said: str, not_said: str
) -> None:
    data = exam_data(dlp_mgycm=dlp, ctdivol_mgy=ctdivol, notes=KEPT)
    response = client.post(f"/cases/{case_id}/exam", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    beside = _beside(page, "dlp_mgycm")
    assert said in beside and not_said not in beside
    assert f'value="{dlp}"' in page and f'value="{ctdivol}"' in page and KEPT in page
    assert _exams(app) == 0


@pytest.mark.parametrize(
    ("message", "placeholder"), [(DOSES_SWAPPED, "%(dlp)s"), (DLP_ZERO, "%(ctdivol)s")]
)
def test_the_dose_pair_messages_have_english_translations(message: str, placeholder: str) -> None:
    assert message in EN and placeholder in EN[message]


@pytest.mark.parametrize(
    ("dlp", "ctdivol"),
    [("812,5", "52,1"), ("52,1", "52,1"), ("812,5", ""), ("", "52,1"), ("0", "0")],
)
def test_doses_in_their_own_fields_are_saved(
    app: Flask, client: FlaskClient, case_id: int, dlp: str, ctdivol: str
) -> None:
    data = exam_data(dlp_mgycm=dlp, ctdivol_mgy=ctdivol)
    response = client.post(f"/cases/{case_id}/exam", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _exams(app) == 1


@pytest.mark.parametrize(
    ("dlp", "ctdivol", "refusal", "match"),
    [
        ("52.1", "812.5", DosesSwapped, r"DLP \(52,1 mGy·cm\) är mindre än CTDIvol"),
        ("0", "52.1", DlpZero, r"CTDIvol \(52,1 mGy\) har en DLP över 0"),
    ],
)
def test_the_service_refuses_a_dlp_that_cannot_go_with_the_ctdivol(
    app: Flask, case_id: int, dlp: str, ctdivol: str, refusal: type[CaseError], match: str
) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "test-radiographer"))
        assert user is not None
        with pytest.raises(refusal, match=match):
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
                    "dlp_mgycm": Decimal(dlp),
                    "ctdivol_mgy": Decimal(ctdivol),
                    "pacs_status": "no",
                },
                form_key="s" * 20,
                digest="d",
                url=f"/cases/{case_id}",
            )
    assert _exams(app) == 0
