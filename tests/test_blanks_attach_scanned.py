"""The join page's field takes a sheet's QR code scanned into it, as the scan station does."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.codes import make_case_payload
from webapp.extensions import db
from webapp.models import Case, ReservedCode

from .factories import referral_data


@pytest.fixture
def blanks(app: Flask, client: FlaskClient, auth) -> dict[str, str]:
    """An ongoing case, an unused documentation blank and a referral blank not typed in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    auth.logout()
    auth.login("admin")
    for kind in ("BLD", "BLR"):
        client.post("/blanks/reserve", data={"doc_kind": kind, "count": "1"})
    auth.logout()
    with app.app_context():
        codes = dict(db.session.execute(select(ReservedCode.doc_kind, ReservedCode.code)).all())
        case = db.session.get(Case, int(location.rsplit("/", 1)[-1]))
        return {**codes, "case": case.code, "id": str(case.id)}


@pytest.mark.parametrize("separator", [":", "Ö"])
def test_referral_sheet_scanned_into_the_join_field_finds_its_case(
    client: FlaskClient, auth, blanks, separator: str
) -> None:
    # The secretary holds the scanner: the referral's QR, not its code typed by hand (a scanner
    # on the Swedish layout types ":" as "Ö").
    scanned = make_case_payload(blanks["case"], "REM", 1).replace(":", separator)
    auth.login("secretary")
    response = client.post(f"/blanks/{blanks['BLD']}/attach", data={"typed": scanned})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="case_id" value="{blanks["id"]}"' in page
    assert "Inget pågående ärende" not in page


def test_referral_blank_scanned_into_the_join_field_is_offered_to_type_in_first(
    client: FlaskClient, auth, blanks
) -> None:
    scanned = make_case_payload(blanks["BLR"], "BLR", 1)
    auth.login("secretary")
    page = client.post(f"/blanks/{blanks['BLD']}/attach", data={"typed": scanned}).get_data(
        as_text=True
    )
    assert f"Remissblanketten {blanks['BLR']} är inte införd än" in page
    assert f"/blanks/{blanks['BLR']}/open" in page


def test_the_blanks_own_code_in_its_join_field_says_so(client: FlaskClient, auth, blanks) -> None:
    # The sheet in hand scanned into its own field: its box holds the referral's code.
    scanned = make_case_payload(blanks["BLD"], "BLD", 1)
    auth.login("secretary")
    response = client.post(f"/blanks/{blanks['BLD']}/attach", data={"typed": scanned})
    assert response.status_code == 400
    assert "Det är den här blankettens egen kod" in response.get_data(as_text=True)
