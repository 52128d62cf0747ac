"""A genuine CT scan shorter than 1 cm (a biopsy's check slices, one axial slice): its DLP below
the CTDIvol is refused the first time (the swap is the common mistake), with a box beside the
DLP that saves the values as typed. The confirmation is the exam's, versioned: kept by an edit
that keeps the values short, dropped by one that no longer is; the service asks for it too.
A DLP of 0 stays refused, box or not. The sheet says so; the exports carry the dose as typed."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.cases.errors import DosesSwapped
from webapp.cases.exam_services import document_exam
from webapp.dose_rule import SHORT_SCAN_CONFIRM
from webapp.extensions import db
from webapp.i18n_en import EN
from webapp.models import ExamRecord, RecordVersion, User

from .export_support import every_format
from .factories import exam_data, hidden_value, referral_data
from .printforms.conftest import pdf_text

BOX = 'name="short_scan_confirmed"'
SHORT = {"dlp_mgycm": "4,2", "ctdivol_mgy": "8,4", "notes": "Biopsi, kontrollsnitt"}


@pytest.fixture
def case_url(client: FlaskClient, auth) -> str:
    """A referral in a new incident, with a radiographer logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    return str(client.post("/cases/new", data=referral_data()).headers["Location"])


def _exam(app: Flask) -> ExamRecord | None:
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        if exam is not None:
            db.session.expunge(exam)
        return exam


def _box_ticked(page: str) -> bool:
    box = re.search(r"<input[^>]*" + BOX + "[^>]*>", page)
    return box is not None and "checked" in box.group(0)


def _confirmed(client: FlaskClient, case_url: str) -> None:
    data = exam_data(short_scan_confirmed="y", **SHORT)
    assert client.post(case_url + "/exam", data=data).status_code == 302


def _edit(client: FlaskClient, case_url: str, **changes: str) -> int:
    """Post the form as drawn for the saved exam, with changes; the response's status."""
    page = client.get(case_url + "/exam").get_data(as_text=True)
    data = exam_data(version=hidden_value(page, "version"), **SHORT)
    data["form_key"] = "f" * 20
    if _box_ticked(page):
        data["short_scan_confirmed"] = "y"
    data.update(changes)
    return client.post(case_url + "/exam", data=data).status_code


def test_a_short_scan_is_refused_the_first_time_with_a_box_to_confirm_it(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    response = client.post(case_url + "/exam", data=exam_data(**SHORT))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "omkastade" in page and BOX in page and SHORT_SCAN_CONFIRM in page
    assert 'value="4,2"' in page and 'value="8,4"' in page and SHORT["notes"] in page
    assert _exam(app) is None


def test_the_box_is_not_offered_for_doses_the_rule_lets_through(
    client: FlaskClient, case_url: str
) -> None:
    page = client.get(case_url + "/exam").get_data(as_text=True)
    assert BOX not in page
    refused = client.post(case_url + "/exam", data=exam_data(modality_temp_id="", **SHORT))
    assert BOX in refused.get_data(as_text=True)
    other = client.post(case_url + "/exam", data=exam_data(modality_temp_id=""))
    assert other.status_code == 400 and BOX not in other.get_data(as_text=True)


def test_a_confirmed_short_scan_is_saved_as_typed(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    _confirmed(client, case_url)
    exam = _exam(app)
    assert exam is not None
    assert (exam.dlp_mgycm, exam.ctdivol_mgy, exam.short_scan_confirmed) == (4.2, 8.4, True)


def test_a_dlp_of_0_stays_refused_with_the_box_ticked(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    data = exam_data(dlp_mgycm="0", ctdivol_mgy="8,4", short_scan_confirmed="y")
    response = client.post(case_url + "/exam", data=data)
    assert response.status_code == 400
    assert "DLP över 0" in response.get_data(as_text=True)
    assert _exam(app) is None


def test_the_box_ticked_for_doses_not_short_is_not_stored(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    data = exam_data(short_scan_confirmed="y")
    assert client.post(case_url + "/exam", data=data).status_code == 302
    exam = _exam(app)
    assert exam is not None and exam.short_scan_confirmed is False


def test_an_edit_keeping_the_short_scan_keeps_its_confirmation(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    _confirmed(client, case_url)
    page = client.get(case_url + "/exam").get_data(as_text=True)
    assert _box_ticked(page)
    assert _edit(client, case_url, notes="Biopsi, tre kontrollsnitt") == 302
    exam = _exam(app)
    assert exam is not None and exam.short_scan_confirmed and exam.version == 2


def test_an_edit_that_ends_the_short_scan_drops_the_confirmation_in_the_history(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    _confirmed(client, case_url)
    assert _edit(client, case_url, dlp_mgycm="84,2") == 302
    exam = _exam(app)
    assert exam is not None and exam.dlp_mgycm == 84.2 and not exam.short_scan_confirmed
    with app.app_context():
        changed = db.session.scalar(
            select(RecordVersion.changes).where(RecordVersion.entity == "exam")
        )
    assert "short_scan_confirmed" in str(changed) and "dlp_mgycm" in str(changed)
    history = client.get(case_url + "/history").get_data(as_text=True)
    assert SHORT_SCAN_CONFIRM in history


def test_the_service_refuses_a_short_scan_without_the_confirmation_and_saves_it_with(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    case_id = int(case_url.rsplit("/", 1)[-1])
    values = {
        "modality": "CT",
        "room": "DT 1",
        "exam_code": "CT-HJ",
        "exam_text": "DT hjärna utan kontrast",
        "started_at": datetime(2026, 1, 15, 9, 50, tzinfo=UTC),
        "ended_at": datetime(2026, 1, 15, 9, 58, tzinfo=UTC),
        "radiographers": "Kim Ström",
        "modality_temp_id": "TMP-CT1-0042",
        "dlp_mgycm": Decimal("4.2"),
        "ctdivol_mgy": Decimal("8.4"),
        "pacs_status": "no",
    }
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "test-radiographer"))
        assert user is not None
        common = {"case_id": case_id, "user": user, "digest": "d", "url": case_url}
        with pytest.raises(DosesSwapped):
            document_exam(values=values, form_key="s" * 20, **common)
        assert _exam(app) is None
        document_exam(values={**values, "short_scan_confirmed": True}, form_key="t" * 20, **common)
    exam = _exam(app)
    assert exam is not None and exam.short_scan_confirmed and exam.dlp_mgycm == 4.2


def test_the_confirmation_has_an_english_translation() -> None:
    assert SHORT_SCAN_CONFIRM in EN


def test_the_sheet_says_a_confirmed_short_scan_beside_its_dose(
    client: FlaskClient, case_url: str
) -> None:
    _confirmed(client, case_url)
    text = " ".join(pdf_text(client.get("/print" + case_url + "/exam.pdf").get_data()).split())
    assert "4,2 mGy·cm (kort skanning, bekräftad)" in text and "8,4 mGy" in text


def test_the_exports_carry_a_short_scan_s_dose_as_typed(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    _confirmed(client, case_url)
    with app.app_context():
        incident_id = db.session.scalar(select(ExamRecord)).case.incident_id
    files = every_format(app, incident_id)
    csv = files["csv"].decode("utf-8-sig")
    assert "4,2" in csv and "8,4" in csv
    fhir = json.dumps(json.loads(files["fhir"]), ensure_ascii=False)
    assert "DLP 4.2 mGy·cm, CTDIvol 8.4 mGy (kort skanning under 1 cm, bekräftad)" in fhir
    exam = json.loads(files["json"])["cases"][0]["exam"]
    assert exam["dose"] == {"dlp_mgycm": 4.2, "ctdivol_mgy": 8.4}
    assert exam["short_scan_confirmed"] is True


def test_the_case_page_says_a_confirmed_short_scan_beside_its_dose(
    client: FlaskClient, case_url: str
) -> None:
    _confirmed(client, case_url)
    page = " ".join(client.get(case_url).get_data(as_text=True).split())
    assert "DLP 4,2 mGy·cm, CTDIvol 8,4 mGy (kort skanning under 1 cm, bekräftad)" in page
