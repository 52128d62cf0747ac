"""A documentation or report blank written while the patient was unidentified carries the reserve
number; the case has been corrected to the personnummer since. The number on the paper still
finds the case, which names the reserve number it had, so the blank joins it rather than
opening a second case for the same exam."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReservedCode

from .factories import identity_data, unidentified_referral_data


@pytest.fixture
def blank(app: Flask, client: FlaskClient, auth) -> dict[str, str]:
    """An unidentified man's case (RES-0007) identified since, and an unused documentation
    blank."""
    auth.login("admin")
    client.post("/incidents/new", data={"scenario": "total"})
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    assert client.post(location + "/identity", data=identity_data()).status_code == 302
    client.post("/blanks/reserve", data={"doc_kind": "BLD", "count": "1"})
    auth.logout()
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    return {"code": str(code), "id": location.rsplit("/", 1)[-1]}


@pytest.mark.parametrize("typed", ["RES-0007", "res-0007", "RES0007", "res 00-07"])
def test_the_reserve_number_on_the_blank_finds_the_case_identified_since(
    client: FlaskClient, auth, blank: dict[str, str], typed: str
) -> None:
    auth.login("radiographer")
    response = client.post(f"/blanks/{blank['code']}/attach", data={"typed": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="case_id" value="{blank["id"]}"' in page
    # Both identifiers as the case has them now, and the number on the paper beside them.
    assert "Örjan Älvström" in page and "19121212-1212" in page and "RES-0007" in page


def test_a_reserve_number_no_case_had_still_finds_nothing(
    client: FlaskClient, auth, blank: dict[str, str]
) -> None:
    auth.login("radiographer")
    response = client.post(f"/blanks/{blank['code']}/attach", data={"typed": "RES-0008"})
    assert response.status_code == 400
    assert 'name="case_id"' not in response.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["RES0007", "R-E-S-0007"])
def test_a_reserve_number_typed_without_its_hyphen_finds_the_case_still_under_it(
    app: Flask, client: FlaskClient, auth, blank: dict[str, str], typed: str
) -> None:
    auth.login("radiographer")
    location = client.post(
        "/cases/new", data=unidentified_referral_data(key_suffix="u", reserve_number="RES-0011")
    ).headers["Location"]
    response = client.post(
        f"/blanks/{blank['code']}/attach", data={"typed": typed.replace("0007", "0011")}
    )
    assert response.status_code == 200
    assert f'name="case_id" value="{location.rsplit("/", 1)[-1]}"' in response.get_data(
        as_text=True
    )
