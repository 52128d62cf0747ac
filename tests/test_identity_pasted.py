"""A personnummer or reserve number pasted from an e-mail or another system with characters that
show as nothing (zero-width space, joiners, word joiner, BOM, soft hyphen, direction marks) is read
as the number it shows, wherever a number is typed, and stored without them."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.identity import (
    MSG_CHECK_DIGIT,
    normalize_reserve_number,
    parse_personal_number,
    personal_number_problem,
    reserve_number_key,
)
from webapp.models import Case

from .catchup_support import reserve_blank
from .factories import identity_data, referral_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture

TODAY = date(2026, 1, 15)
# Zero-width space, non-joiner, joiner, word joiner, BOM, soft hyphen, left-to-right and
# right-to-left marks (Outlook and Excel put these around a copied number), isolates.
INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u200e",
    "\u200f",
    "\u2066",
    "\u2069",
]
NUMBER = "19121212-1212"


def _spellings(ch: str) -> list[str]:
    return [ch + NUMBER, NUMBER + ch, "1912" + ch + "1212-1212", NUMBER.replace("-", ch + "-" + ch)]


@pytest.mark.parametrize("ch", INVISIBLE)
def test_a_personnummer_with_an_invisible_character_is_read_as_the_number(ch: str) -> None:
    for typed in _spellings(ch):
        assert parse_personal_number(typed, TODAY).normalized == "191212121212", repr(typed)


@pytest.mark.parametrize("ch", INVISIBLE)
def test_a_misspelt_personnummer_with_an_invisible_character_is_named_as_misspelt(
    ch: str,
) -> None:
    assert personal_number_problem(f"{ch}19121212-1213{ch}", TODAY) == MSG_CHECK_DIGIT


@pytest.mark.parametrize("ch", INVISIBLE)
def test_a_reserve_number_is_stored_without_invisible_characters(ch: str) -> None:
    assert normalize_reserve_number(f"{ch}RES-{ch}0007{ch}") == "RES-0007"
    assert reserve_number_key(f"RES{ch}0007") == reserve_number_key("RES-0007")


@pytest.mark.parametrize("ch", ["\u200d", "\u200b", "\u200e"])
def test_a_referral_with_a_pasted_personnummer_is_saved_with_the_number(
    app: Flask, client: FlaskClient, incident: int, ch: str
) -> None:
    typed = f"{ch}19121212{ch}-1212{ch}"
    response = client.post("/cases/new", data=referral_data(personal_number=typed))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Case.patient_id)) == "191212121212"


def test_a_referral_with_a_pasted_reserve_number_is_saved_without_the_joiner(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    data = unidentified_referral_data(reserve_number="RES\u200d-0007\u200d")
    response = client.post("/cases/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Case.patient_id)) == "RES-0007"


def test_an_identity_correction_reads_a_pasted_personnummer(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    typed = "\u200d19121212-1212\u2060"
    response = client.post(location + "/identity", data=identity_data(personal_number=typed))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Case.patient_id)) == "191212121212"


def test_a_blank_finds_its_case_by_a_pasted_personnummer(
    app: Flask, client: FlaskClient, auth, incident: int
) -> None:
    client.post("/cases/new", data=referral_data())
    code = reserve_blank(app, client, auth, "BLD")
    auth.login("radiographer")
    typed = "\ufeff19121212\u200d-1212"
    page = client.post(f"/blanks/{code}/attach", data={"typed": typed}).get_data(as_text=True)
    assert "Örjan Älvström" in page and "19121212-1212" in page


def test_the_access_log_searches_by_a_pasted_personnummer(
    client: FlaskClient, auth, incident: int
) -> None:
    auth.logout()
    auth.login("admin")
    typed = "\u200e121212\u200d-1213"
    page = client.get("/admin/audit", query_string={"patient": typed}).get_data(as_text=True)
    # Read as the number: its check digit is named, not its form.
    assert "Kontrollsiffran stämmer inte – kontrollera numret." in page
