"""The anonymised report carries what the report carries, except the patient's identity."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import referral_data, unidentified_referral_data
from .printforms.conftest import pdf_text, raw_streams
from .test_printing import _report


def _sign(client: FlaskClient, auth, case_id: int, urgent: bool = False) -> None:
    auth.login("radiologist")
    data = _report("definitive", "d" * 20)
    if urgent:
        data["is_urgent"] = "y"
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302


def test_anonymised_report_includes_the_addenda(client: FlaskClient, auth, case_id: int) -> None:
    _sign(client, auth, case_id)
    addendum = {"text": "Rättelse: fraktur i os temporale."}
    assert client.post(f"/reporting/{case_id}/addendum", data=addendum).status_code == 302
    pdf = client.get(f"/print/cases/{case_id}/report-anon.pdf").get_data()
    text = pdf_text(pdf)
    assert "Rättelse: fraktur i os temporale." in text
    for secret in ("Örjan", "Älvström", "19121212"):
        assert secret not in text and secret.encode() not in raw_streams(pdf)


def test_anonymised_report_of_an_urgent_finding_says_so(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, urgent=True)
    text = pdf_text(client.get(f"/print/cases/{case_id}/report-anon.pdf").get_data())
    assert "AKUT FYND" in text


def test_anonymised_referral_of_an_unidentified_patient_gives_the_age_as_an_estimate(
    client: FlaskClient, auth
) -> None:
    # The external reviewer reads the age from this sheet only: a guessed 70 is not "70 år".
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "external_reviewer"})
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    _sign(client, auth, case_id)
    for kind in ("referral-anon", "report-anon"):
        text = pdf_text(client.get(f"/print/cases/{case_id}/{kind}.pdf").get_data())
        assert "ca 70 år" in text, kind


def test_anonymised_referral_says_contrast_is_planned_as_the_referral_does(
    client: FlaskClient, auth
) -> None:
    # The reviewer reads the kidney function and allergy answers on it; without this, an exam
    # with contrast read as one without.
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    referral = referral_data(
        exam_text="DT buk",
        exam_code="",
        contrast_planned="y",
        contrast_allergy="no",
        metformin="no",
        pregnancy="no",
        egfr="72",
        kidney_measured_on="2026-01-14",
    )
    location = client.post("/cases/new", data=referral).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    for kind in ("referral", "referral-anon"):
        pdf = client.get(f"/print/cases/{case_id}/{kind}.pdf").get_data()
        text = pdf_text(pdf)
        assert "DT buk (med kontrast)" in text
        # The date after the value it dates, as on the case page (there was a comma between).
        assert "eGFR 72 (2026-01-14)" in text, kind
