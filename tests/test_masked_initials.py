"""Masked names keep each initial whole: a letter with its accents, however it was stored."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.cases.display import MaskedPatient, name_told_apart
from webapp.extensions import db
from webapp.models import Case

from .factories import exam_data, referral_data
from .printforms.conftest import pdf_text

# Stored decomposed (NFD, as some systems paste and older rows hold it): Á as A and U+0301.
# Q with a dot below has no precomposed form, so it stays two code points even in NFC.
DECOMPOSED = "A\u0301sa Q\u0323uist"
INITIALS = "\u00c1. Q\u0323."


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        (DECOMPOSED, INITIALS),
        ("\u00c5sa \u00d6berg", "\u00c5. \u00d6."),
        ("Anna Andersson", "A. A."),
        # Every accent stays with its letter, in NFC order.
        ("E\u0323\u0302va Berg", "\u1ec6. B."),
    ],
)
def test_an_initial_is_the_whole_first_letter_with_its_accents(name: str, initials: str) -> None:
    assert MaskedPatient.of(name, "reserve", "RES-1", "Okänd").initials == initials


def test_a_twin_told_apart_keeps_the_accents_of_the_other_initials() -> None:
    assert name_told_apart("A\u0301sa Q\u0323uist O\u0308berg") == "\u00c1sa Q\u0323. \u00d6."


def test_a_long_masked_name_is_never_cut_inside_a_letter() -> None:
    # Twelve letters, stops and spaces at most: the last Q is the twelfth code point, its dot
    # the thirteenth, yet both are one letter on the screen.
    initials = MaskedPatient.of("A Q\u0323 Q\u0323 Q\u0323", "reserve", "RES-1").initials
    assert initials == "A. Q\u0323. Q\u0323. Q\u0323."


@pytest.fixture
def incident_id(app: Flask, client: FlaskClient, auth) -> int:
    """The incident of a case whose name is stored decomposed, as a row from before names were
    composed."""
    auth.login("radiologist")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(patient_name="Åsa Quist"))
    client.post(location.headers["Location"] + "/exam", data=exam_data())
    with app.app_context():
        case = db.session.scalars(select(Case)).one()
        case.patient_name = DECOMPOSED
        db.session.commit()
        return case.incident_id


@pytest.mark.parametrize("page", ["/board/", "/reporting/"])
def test_the_screen_lists_show_a_decomposed_names_initials_whole(
    client: FlaskClient, incident_id: int, page: str
) -> None:
    shown = html.unescape(client.get(page).get_data(as_text=True))
    assert f'<span class="b-patient"><bdi>{INITIALS}</bdi> · ' in shown


def test_the_masked_incident_list_prints_a_decomposed_names_initials_whole(
    client: FlaskClient, incident_id: int
) -> None:
    pdf = client.get(f"/print/incidents/{incident_id}/list.pdf").get_data()
    assert INITIALS in pdf_text(pdf)
