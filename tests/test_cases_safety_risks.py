"""A risky answer in the referral stands out on every screen where the exam is done or read."""

from __future__ import annotations

import io
import re

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from .factories import exam_data, referral_data

MR_REFERRAL = {
    "exam_text": "MR hjärna",
    "exam_code": "MR-HJ",
    "modality": "MR",
    "pacemaker": "yes",
    "implants": "no",
}
PACEMAKER = "Pacemaker/ICD – MR bara efter radiologens ställningstagande."
HEADING = "OBS – risk enligt remissen"


def _new_case(client: FlaskClient, auth, **overrides: object) -> str:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    response = client.post("/cases/new", data=referral_data(**overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _risk_box(page: str) -> str:
    found = re.search(r'<section class="[^"]*safety-risks"[^>]*>.*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_the_case_page_warns_of_a_pacemaker_before_an_mr(client: FlaskClient, auth) -> None:
    url = _new_case(client, auth, **MR_REFERRAL)
    box = _risk_box(client.get(url).get_data(as_text=True))
    assert HEADING in box
    assert PACEMAKER in box
    # Static text read with the page: not an alert that interrupts each time it is drawn.
    assert 'role="alert"' not in box


def test_the_case_page_has_no_warning_for_a_pacemaker_before_a_ct(
    client: FlaskClient, auth
) -> None:
    url = _new_case(client, auth, pacemaker="yes", implants="no")
    assert _risk_box(client.get(url).get_data(as_text=True)) == ""


def test_the_case_page_warns_of_an_egfr_just_below_the_limit(client: FlaskClient, auth) -> None:
    url = _new_case(
        client,
        auth,
        exam_text="DT thorax-buk med kontrast",
        exam_code="CT-TAB",
        contrast_allergy="no",
        metformin="no",
        egfr="29.6",
        kidney_measured_on="2026-01-14",
    )
    box = _risk_box(client.get(url).get_data(as_text=True))
    assert "eGFR 29,6 – under 30: kontrastmedel bara efter radiologens ställningstagande." in box


def test_the_case_page_warns_of_a_pregnancy_before_a_ct(client: FlaskClient, auth) -> None:
    url = _new_case(
        client, auth, patient_name="Åsa Öberg", personal_number="19800101-0027", pregnancy="yes"
    )
    box = _risk_box(client.get(url).get_data(as_text=True))
    assert "Graviditet – undersökningen bara efter radiologens ställningstagande." in box


def test_the_case_page_warns_in_english_when_english_is_chosen(client: FlaskClient, auth) -> None:
    url = _new_case(client, auth, **MR_REFERRAL)
    client.post("/language", data={"lang": "en"})
    box = _risk_box(client.get(url).get_data(as_text=True))
    assert "Pacemaker/ICD – MR only after the radiologist&#39;s decision." in box


def test_a_cancelled_case_page_shows_no_warning(client: FlaskClient, auth) -> None:
    url = _new_case(client, auth, **MR_REFERRAL)
    page = client.get(url).get_data(as_text=True)
    shown = re.search(r'name="shown"[^>]*value="([^"]*)"', page)
    response = client.post(
        url + "/cancel",
        data={"reason": "Dubblett", "form_key": "c" * 20, "shown": shown.group(1) if shown else ""},
    )
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Makulerat" in page
    assert _risk_box(page) == ""


def test_the_exam_form_warns_the_radiographer(client: FlaskClient, auth) -> None:
    url = _new_case(client, auth, **MR_REFERRAL)
    box = _risk_box(client.get(url + "/exam").get_data(as_text=True))
    assert PACEMAKER in box


def test_the_reporting_screen_warns_the_radiologist(client: FlaskClient, auth) -> None:
    url = _new_case(
        client, auth, **{**MR_REFERRAL, "implants": "yes"}, implants_note="Höftprotes vä"
    )
    case_id = url.rsplit("/", 1)[-1]
    auth.logout()
    auth.login("radiologist")
    box = _risk_box(client.get(f"/reporting/{case_id}").get_data(as_text=True))
    assert PACEMAKER in box
    assert "Implantat – kontrollera att det är MR-villkorat: Höftprotes vä." in box


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("kind", ["referral", "exam"])
def test_the_printed_sheets_carry_the_warning(client: FlaskClient, auth, kind: str) -> None:
    url = _new_case(client, auth, **MR_REFERRAL)
    exam = {"modality": "MR", "room": "MR 1", "exam_text": "MR hjärna", "exam_code": "MR-HJ"}
    client.post(url + "/exam", data=exam_data(pacemaker="yes", implants="no", **exam))
    case_id = url.rsplit("/", 1)[-1]
    text = _pdf_text(client.get(f"/print/cases/{case_id}/{kind}.pdf").data)
    assert "OBS" in text
    assert "Pacemaker/ICD – MR bara efter radiologens" in text


CREATININE_ONLY = {
    "exam_text": "DT thorax-buk med kontrast",
    "exam_code": "CT-TAB",
    "contrast_allergy": "no",
    "metformin": "yes",
    "creatinine": "130",
    # 106 days before the referral arrived (2026-01-15).
    "kidney_measured_on": "2025-10-01",
}
ONLY_CREATININE = (
    "Endast kreatinin angivet (130 µmol/l) – eGFR saknas, och patienten tar metformin."
)
OLD_VALUE = "Njurvärdet är från 2025-10-01 (106 dagar gammalt) – ta nytt före kontrast?"


def test_every_screen_warns_of_a_creatinine_without_egfr_and_an_old_value(
    client: FlaskClient, auth
) -> None:
    url = _new_case(client, auth, **CREATININE_ONLY)
    for page in (url, url + "/exam"):
        box = _risk_box(client.get(page).get_data(as_text=True))
        assert ONLY_CREATININE in box, page
        assert OLD_VALUE in box, page
    assert "OBS risk" in client.get("/board/rows").get_data(as_text=True)
    case_id = url.rsplit("/", 1)[-1]
    auth.logout()
    auth.login("radiologist")
    box = _risk_box(client.get(f"/reporting/{case_id}").get_data(as_text=True))
    assert ONLY_CREATININE in box and OLD_VALUE in box


def test_a_value_of_unknown_date_is_warned_about_once_contrast_is_given(
    client: FlaskClient, auth
) -> None:
    # A CT head without contrast asks no sample date; the exam then records a contrast agent.
    url = _new_case(client, auth, egfr="60", contrast_allergy="no", metformin="no")
    assert _risk_box(client.get(url).get_data(as_text=True)) == ""
    given = exam_data(contrast_agent="Omnipaque 350", contrast_batch="AB1234")
    assert client.post(url + "/exam", data=given).status_code == 302
    box = _risk_box(client.get(url).get_data(as_text=True))
    assert (
        "Njurvärdets provtagningsdatum saknas – bedöm om värdet är aktuellt före kontrast." in box
    )


@pytest.mark.parametrize("kind", ["referral", "referral-anon", "exam"])
def test_the_printed_sheets_carry_the_kidney_warnings(client: FlaskClient, auth, kind: str) -> None:
    url = _new_case(client, auth, **CREATININE_ONLY)
    exam = {"exam_text": "DT thorax-buk med kontrast", "exam_code": "CT-TAB"}
    assert client.post(url + "/exam", data=exam_data(**exam)).status_code == 302
    case_id = url.rsplit("/", 1)[-1]
    text = " ".join(_pdf_text(client.get(f"/print/cases/{case_id}/{kind}.pdf").data).split())
    assert "Endast kreatinin angivet (130 µmol/l) – eGFR saknas" in text
    assert "Njurvärdet är från 2025-10-01 (106 dagar gammalt)" in text
