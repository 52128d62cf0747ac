"""A patient examined under a reserve number and identified later: the case's pages and sheets
give the reserve number too, since PACS and RIS hold the images and booking under it."""

from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from .factories import exam_data, identity_data, unidentified_referral_data
from .printforms.conftest import pdf_text
from .test_cases_referral import incident as incident  # the fixture

NOTICE = "Tidigare reservnummer (bilder och bokning kan finnas under det):"


@pytest.fixture
def identified(client: FlaskClient, incident: int) -> str:
    """A case examined under RES-0007, then identified; its address."""
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    assert client.post(location + "/exam", data=exam_data()).status_code == 302
    assert client.post(location + "/identity", data=identity_data()).status_code == 302
    return location


@pytest.mark.parametrize("suffix", ["", "/exam", "/history"])
def test_the_case_pages_give_the_reserve_number_the_patient_had(
    client: FlaskClient, identified: str, suffix: str
) -> None:
    html = client.get(identified + suffix).get_data(as_text=True)
    assert "19121212-1212" in html and "Örjan Älvström" in html
    notice = html.split(NOTICE, 1)[1].split("</p>", 1)[0]
    assert "RES-0007" in notice
    # Under the header, beside the unidentified notice: not inside the patient's line.
    assert html.index("earlier-identity") > html.index('class="case-code-box"')


def test_the_reporting_screen_gives_the_reserve_number(
    client: FlaskClient, auth, identified: str
) -> None:
    auth.login("radiologist")
    case_id = identified.rsplit("/", 1)[-1]
    html = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert NOTICE in html and "RES-0007" in html.split(NOTICE, 1)[1].split("</p>", 1)[0]


def test_a_personnummer_named_by_mistake_is_not_put_in_the_header(
    client: FlaskClient, identified: str
) -> None:
    other = identity_data(personal_number="19800101-0027", patient_name="Vera Väntar")
    assert client.post(identified + "/identity", data=other).status_code == 302
    html = client.get(identified).get_data(as_text=True)
    header = html.split("Identiteten är rättad.", 1)[1].split("</p>", 1)[0]
    assert "RES-0007" in header and "19121212-1212" not in header


def test_a_case_never_corrected_has_no_notice(client: FlaskClient, incident: int) -> None:
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    assert "Identiteten är rättad." not in client.get(location).get_data(as_text=True)


@pytest.mark.parametrize("kind", ["referral", "exam"])
def test_the_sheets_printed_after_identification_give_the_reserve_number(
    client: FlaskClient, identified: str, kind: str
) -> None:
    case_id = identified.rsplit("/", 1)[-1]
    response = client.get(f"/print/cases/{case_id}/{kind}.pdf")
    assert response.status_code == 200
    text = pdf_text(response.get_data())
    assert "19121212-1212" in text and "Örjan Älvström" in text
    assert "Tidigare reservnummer" in text and "RES-0007" in text


def test_every_page_of_a_long_referral_gives_the_reserve_number(
    client: FlaskClient, incident: int
) -> None:
    history = " ".join(
        f"Mening {i}: tilltagande huvudvärk och yrsel sedan två dygn." for i in range(130)
    )
    data = unidentified_referral_data(history=history[:8000])
    location = client.post("/cases/new", data=data).headers["Location"]
    assert client.post(location + "/identity", data=identity_data()).status_code == 302
    case_id = location.rsplit("/", 1)[-1]
    response = client.get(f"/print/cases/{case_id}/referral.pdf")
    assert response.status_code == 200
    pages = [
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(response.get_data())).pages
    ]
    assert len(pages) >= 2
    for text in pages:
        assert "19121212-1212" in text and "Tidigare reservnummer" in text and "RES-0007" in text
