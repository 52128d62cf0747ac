"""Sheets of a reserve-number patient identified later, printed again through the app: each
sheet keeps to one page with its "Tidigare reservnummer" line and ÄNDRAD and KOPIA marks."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from .factories import case_code, exam_data, identity_data, unidentified_referral_data
from .printforms.conftest import STANDARD_FAX, decoded_payloads
from .test_cases_referral import incident as incident  # the fixture

NAME = "Anna-Karin Margareta Öberg-Ängström Lindqvist"


@pytest.fixture
def corrected(client: FlaskClient, incident: int) -> int:
    """A case examined under RES-0007, printed, then identified by personnummer."""
    referral = unidentified_referral_data(
        referrer_unit="Medicinkliniken, avdelning 12 (hjärtintensivvårdsavdelningen)",
        referrer_clinician="Dr Karl-Johan Åkerström-Lindqvist",
    )
    location = client.post("/cases/new", data=referral).headers["Location"]
    assert client.post(location + "/exam", data=exam_data()).status_code == 302
    case_id = int(location.rsplit("/", 1)[-1])
    assert client.get(f"/print/cases/{case_id}/all.pdf").status_code == 200
    identity = identity_data(patient_name=NAME)
    assert client.post(location + "/identity", data=identity).status_code == 302
    return case_id


def _reprint(client: FlaskClient, case_id: int, kind: str) -> bytes:
    """The document printed after the correction, then again: ÄNDRAD and KOPIA."""
    assert client.get(f"/print/cases/{case_id}/{kind}.pdf").status_code == 200
    response = client.get(f"/print/cases/{case_id}/{kind}.pdf")
    assert response.status_code == 200
    return response.get_data()


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("kind", ["cover", "referral", "exam"])
def test_reprinted_sheet_of_a_corrected_identity_is_one_page(
    app: Flask, client: FlaskClient, corrected: int, kind: str
) -> None:
    pages = _pages(_reprint(client, corrected, kind))
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    assert "Tidigare reservnummer" in text and "RES-0007" in text
    assert "ÄNDRAD" in text and "KOPIA" in text
    assert case_code(app, corrected) in text and "19121212-1212" in text and NAME in text


def test_reprinted_bundle_of_a_corrected_identity_has_one_page_per_sheet(
    app: Flask, client: FlaskClient, corrected: int
) -> None:
    pdf = _reprint(client, corrected, "all")
    pages = _pages(pdf)
    code = case_code(app, corrected)
    assert all("Sida 1 av 1" in text for text in pages)
    assert all(code in text and "19121212-1212" in text for text in pages)
    # The QR holds the code without its dash.
    compact = code.replace("-", "")
    payloads = decoded_payloads(pdf, STANDARD_FAX)
    assert all(any(compact in p for p in page) for page in payloads)
