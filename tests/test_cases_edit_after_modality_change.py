"""The CT asked for was done as an MR: the exam documented on MR moves the case to MR, and the
referral (still asking for the CT) can be edited after that without being refused over it."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case

from .factories import exam_data, hidden_value, referral_data

MISMATCH = "Modaliteten stämmer inte med vald undersökning."
DONE_AS_MR = {
    "modality": "MR",
    "room": "",
    "exam_text": "MR hjärna",
    "exam_code": "MR-HJ",
    "pacemaker": "no",
    "implants": "no",
    "dlp_mgycm": "",
    "ctdivol_mgy": "",
}


@pytest.fixture
def case_url(client: FlaskClient, auth) -> str:
    """A referral for a CT of the head, whose exam was done and documented as an MR."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert client.post(location + "/exam", data=exam_data(**DONE_AS_MR)).status_code == 302
    return location


def _form_values(page: str) -> dict[str, str]:
    """What the edit form sends as drawn: its inputs' values, the checked choices, the
    selected options and the text areas."""
    values: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'\bname="([^"]*)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        kind = re.search(r'\btype="([^"]*)"', tag)
        if name is None or (
            kind and kind.group(1) in ("radio", "checkbox") and "checked" not in tag
        ):
            continue
        values[name.group(1)] = value.group(1) if value else ""
    for name, options in re.findall(r'<select[^>]*name="([^"]*)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', options)
        values[name] = chosen.group(1) if chosen else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', page, re.S):
        values[name] = text.strip()
    return values


def test_the_referral_is_edited_after_its_exam_was_done_on_another_modality(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    page = client.get(case_url + "/referral").get_data(as_text=True)
    edit = _form_values(page) | {"history": "Waran. Föll igen på avdelningen."}
    assert edit["modality"] == "MR" and edit["exam_code"] == "CT-HJ"
    assert hidden_value(page, "form_key")

    response = client.post(case_url + "/referral", data=edit)
    assert MISMATCH not in response.get_data(as_text=True)
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.modality == "MR"
        assert case.referral.history == "Waran. Föll igen på avdelningen."
        assert case.referral.exam_code == "CT-HJ"


def test_a_modality_changed_in_the_referral_edit_must_still_match_its_exam(
    client: FlaskClient, case_url: str
) -> None:
    edit = _form_values(client.get(case_url + "/referral").get_data(as_text=True))
    response = client.post(case_url + "/referral", data=edit | {"modality": "US"})
    assert response.status_code == 400
    assert MISMATCH in response.get_data(as_text=True)
