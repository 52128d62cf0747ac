"""The contrast's route as staff read it: the case page and the documentation sheet say
"Intraartikulärt", never the form's code for it ("intraarticular")."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from .factories import exam_data, referral_data
from .printforms.conftest import pdf_text

CONTRAST = {
    "contrast_agent": "Omnipaque 300",
    "contrast_volume_ml": "10",
    "contrast_batch": "AB1234",
    "notes": "Artrografi",
}


@pytest.fixture
def case_url(client: FlaskClient, auth) -> str:
    """A case whose exam was documented with contrast given into the joint."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    exam = exam_data(contrast_route="intraarticular", **CONTRAST)
    assert client.post(location + "/exam", data=exam).status_code == 302
    return location


def test_the_case_page_names_the_contrast_route(client: FlaskClient, case_url: str) -> None:
    page = client.get(case_url).get_data(as_text=True)
    assert "Omnipaque 300 10 ml (Intraartikulärt)" in page
    assert "intraarticular" not in re.sub(r"<[^>]+>", " ", page)


def test_the_case_page_names_the_contrast_route_in_english(
    client: FlaskClient, case_url: str
) -> None:
    client.post("/language", data={"lang": "en"})
    page = client.get(case_url).get_data(as_text=True)
    assert "Omnipaque 300 10 ml (Intra-articular)" in page


def test_the_documentation_sheet_names_the_contrast_route(
    client: FlaskClient, case_url: str
) -> None:
    text = pdf_text(client.get("/print" + case_url + "/exam.pdf").get_data())
    assert "Intraartikulärt" in text
    assert "intraarticular" not in text


def test_the_reporting_screen_names_the_contrast_route(
    client: FlaskClient, auth, case_url: str
) -> None:
    auth.login("radiologist")
    case_id = case_url.rsplit("/", 1)[-1]
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Omnipaque 300 10 ml (Intraartikulärt)" in page
    assert "intraarticular" not in re.sub(r"<[^>]+>", " ", page)
