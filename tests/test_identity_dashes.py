"""A personnummer written with a typographic dash (copied from a document, typed on a phone)
is the same number as with a hyphen: never refused as "not 10 or 12 digits", never another
patient, never a hundred years older (a dash is never read as "+")."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.identity import IdentityError, parse_personal_number
from webapp.models import Case, ImageTransfer

from .factories import referral_data
from .routines_support import transfer_case, transfer_data
from .test_cases_referral import incident as incident  # the fixture

TODAY = date(2026, 1, 15)
# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, minus sign.
DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"]


@pytest.mark.parametrize("dash", DASHES)
def test_a_typographic_dash_is_read_as_the_hyphen(dash: str) -> None:
    assert parse_personal_number(f"19121212{dash}1212", TODAY).normalized == "191212121212"
    # Ten digits with a dash: born within the last hundred years, as with "-".
    assert parse_personal_number(f"121212{dash}1212", TODAY).normalized == "201212121212"


@pytest.mark.parametrize("text", ["121212\u2013-1212", "121212\u2013+1212", "19121212\u20131213"])
def test_a_dash_does_not_let_a_wrong_number_through(text: str) -> None:
    with pytest.raises(IdentityError):
        parse_personal_number(text, TODAY)


def test_a_referral_accepts_a_personnummer_with_an_en_dash(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    form = client.get("/cases/new").get_data(as_text=True)
    pattern = re.search(r'<input[^>]*name="personal_number"[^>]*pattern="([^"]*)"', form)
    assert pattern is not None and re.fullmatch(pattern.group(1), "19121212\u20131212")
    response = client.post(
        "/cases/new", data=referral_data(personal_number="19121212\u20131212", pregnancy="no")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Case.patient_id)) == "191212121212"


def test_a_transfer_of_a_case_takes_its_patient_written_with_an_en_dash(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = transfer_case(app, client, auth)
    response = client.post(
        "/routines/transfers/new",
        data=transfer_data(exam_text="", case_code=code, patient_ref="19121212\u20131212"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        transfer = db.session.scalar(select(ImageTransfer))
        assert transfer is not None
        assert (transfer.case_id, transfer.patient_ref) == (case_id, "19121212-1212")
