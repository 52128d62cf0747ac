"""The contrast's batch number and the patient's weight on the documentation form: a contrast
given names its batch (or says it is not known), a batch needs a contrast, a weight is
plausible; refused next to the field with everything typed kept, then shown wherever the
exam's contrast is."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ExamRecord

from .catchup_world_support import _shown
from .factories import exam_data, referral_data
from .printforms.conftest import pdf_text

CONTRAST = {"contrast_agent": "Omnipaque 300", "contrast_volume_ml": "60", "contrast_route": "iv"}
BATCH_MISSING = "Ange kontrastmedlets batchnummer (står på förpackningen)"
NOTES = "Patienten lugn, inga besvär."


@pytest.fixture
def case_url(client: FlaskClient, auth) -> str:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def _exam(app: Flask) -> ExamRecord:
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        assert exam is not None
        db.session.expunge(exam)
        return exam


def _refused(client: FlaskClient, case_url: str, field: str, **values: str) -> str:
    """The page of a refused save: status 400, an error beside `field`, the notes kept."""
    response = client.post(case_url + "/exam", data=exam_data(notes=NOTES, **values))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert NOTES in page
    return page


def test_a_contrast_with_its_batch_and_the_weight_are_stored(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    data = exam_data(contrast_batch="  AB1234 ", patient_weight_kg="72,5", **CONTRAST)
    assert client.post(case_url + "/exam", data=data).status_code == 302
    exam = _exam(app)
    assert (exam.contrast_batch, exam.contrast_batch_unknown) == ("AB1234", False)
    assert exam.patient_weight_kg == 72.5


def test_a_contrast_without_its_batch_is_refused_next_to_the_field_with_the_text_kept(
    client: FlaskClient, case_url: str
) -> None:
    page = _refused(client, case_url, "contrast_batch", patient_weight_kg="81", **CONTRAST)
    assert BATCH_MISSING in page
    assert 'value="Omnipaque 300"' in page and 'value="81"' in page


def test_a_contrast_whose_batch_is_not_known_is_stored_as_not_known(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    data = exam_data(contrast_batch_unknown="y", **CONTRAST)
    assert client.post(case_url + "/exam", data=data).status_code == 302
    exam = _exam(app)
    assert (exam.contrast_batch, exam.contrast_batch_unknown) == ("", True)


def test_a_batch_without_a_contrast_is_refused_as_contradictory(
    client: FlaskClient, case_url: str
) -> None:
    page = _refused(client, case_url, "contrast_batch", contrast_batch="AB1234")
    assert "inget kontrastmedel" in page and 'value="AB1234"' in page


def test_a_batch_ticked_as_not_known_is_refused_as_contradictory(
    client: FlaskClient, case_url: str
) -> None:
    page = _refused(
        client, case_url, "contrast_batch", contrast_batch="AB1234", contrast_batch_unknown="y"
    )
    assert "Batchnummer okänt" in page and 'value="AB1234"' in page


def test_not_known_ticked_without_a_contrast_is_refused(client: FlaskClient, case_url: str) -> None:
    page = _refused(client, case_url, "contrast_batch_unknown", contrast_batch_unknown="y")
    assert "inget kontrastmedel" in page


def test_a_batch_longer_than_forty_characters_is_refused(
    client: FlaskClient, case_url: str
) -> None:
    _refused(client, case_url, "contrast_batch", contrast_batch="A" * 41, **CONTRAST)


@pytest.mark.parametrize("weight", ["0,2", "401", "-5", "sjuttio", "7O"])
def test_an_implausible_weight_is_refused_next_to_the_field_with_the_text_kept(
    client: FlaskClient, case_url: str, weight: str
) -> None:
    page = _refused(client, case_url, "patient_weight_kg", patient_weight_kg=weight)
    assert f'value="{weight}"' in page


@pytest.mark.parametrize(("typed", "stored"), [("0,3", 0.3), ("400", 400.0), ("3.25", 3.25)])
def test_a_weight_with_comma_or_point_within_range_is_stored(
    app: Flask, client: FlaskClient, case_url: str, typed: str, stored: float
) -> None:
    data = exam_data(patient_weight_kg=typed)
    assert client.post(case_url + "/exam", data=data).status_code == 302
    assert _exam(app).patient_weight_kg == stored


def test_the_weight_field_opens_the_decimal_keypad(client: FlaskClient, case_url: str) -> None:
    page = client.get(case_url + "/exam").get_data(as_text=True)
    tag = re.search(r'<input[^>]*id="patient_weight_kg"[^>]*>', page)
    assert tag is not None and 'inputmode="decimal"' in tag.group(0)
    assert "Batchnummer (kontrastmedel)" in page and "Batchnummer okänt" in page


@pytest.fixture
def documented(client: FlaskClient, case_url: str) -> str:
    data = exam_data(contrast_batch="AB1234", patient_weight_kg="72,5", **CONTRAST)
    assert client.post(case_url + "/exam", data=data).status_code == 302
    return case_url


def test_the_case_page_shows_the_batch_and_the_weight(client: FlaskClient, documented: str) -> None:
    page = client.get(documented).get_data(as_text=True)
    assert "Batchnummer (kontrastmedel)" in page and "AB1234" in page
    assert "Patientens vikt" in page and "72,5 kg" in page


def test_the_case_page_says_a_batch_was_not_known(client: FlaskClient, case_url: str) -> None:
    data = exam_data(contrast_batch_unknown="y", **CONTRAST)
    assert client.post(case_url + "/exam", data=data).status_code == 302
    page = client.get(case_url).get_data(as_text=True)
    assert "Batchnummer (kontrastmedel)" in page and "Okänt" in page


def test_the_reporting_screen_shows_the_batch_and_the_weight(
    client: FlaskClient, auth, documented: str
) -> None:
    auth.login("radiologist")
    page = client.get("/reporting/" + documented.rsplit("/", 1)[-1]).get_data(as_text=True)
    assert "AB1234" in page and "72,5 kg" in page


def test_the_exam_sheet_prints_the_batch_and_the_weight(
    client: FlaskClient, documented: str
) -> None:
    text = pdf_text(client.get("/print" + documented + "/exam.pdf").get_data())
    assert "Batchnummer" in text and "AB1234" in text
    assert "Patientens vikt" in text and "72,5 kg" in text


def test_the_exam_sheet_prints_a_batch_not_known(client: FlaskClient, case_url: str) -> None:
    data = exam_data(contrast_batch_unknown="y", **CONTRAST)
    assert client.post(case_url + "/exam", data=data).status_code == 302
    text = pdf_text(client.get("/print" + case_url + "/exam.pdf").get_data())
    assert "Batchnummer" in text and "okänt" in text


def test_the_catchup_page_gives_the_secretary_the_batch_and_the_weight(
    client: FlaskClient, auth, documented: str
) -> None:
    auth.login("secretary")
    case_id = documented.rsplit("/", 1)[-1]
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "AB1234" in page and "72,5 kg" in page


def test_an_edit_of_the_batch_is_in_the_history_under_its_label(
    app: Flask, client: FlaskClient, documented: str
) -> None:
    case_id = int(documented.rsplit("/", 1)[-1])
    data = exam_data(
        key_suffix="edit",
        contrast_batch="CD5678",
        patient_weight_kg="70",
        **CONTRAST,
        **_shown(app, case_id, "exam"),
    )
    assert client.post(documented + "/exam", data=data).status_code == 302
    page = client.get(documented + "/history").get_data(as_text=True)
    assert "Batchnummer (kontrastmedel)" in page and "CD5678" in page
    assert "Patientens vikt (kg)" in page
    assert "contrast_batch" not in page and "patient_weight_kg" not in page


def test_an_exam_draft_keeps_the_batch_and_the_weight(client: FlaskClient, case_url: str) -> None:
    key = "exam-" + "t" * 20
    case_id = case_url.rsplit("/", 1)[-1]
    typed = {"contrast_batch": "EF9012", "contrast_batch_unknown": "", "patient_weight_kg": "64,5"}
    response = client.put(
        f"/api/drafts/{key}",
        json={
            "kind": "exam",
            "seq": 1,
            "case_id": case_id,
            "label": "",
            "data": {"form_key": key, **CONTRAST, **typed},
        },
    )
    assert response.status_code == 200
    page = client.get(f"{case_url}/exam?draft={key}").get_data(as_text=True)
    assert 'value="EF9012"' in page and 'value="64,5"' in page
