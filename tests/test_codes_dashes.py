"""A case code or personnummer typed with another dash than the hyphen-minus (a phone's or a
document's: hyphen, non-breaking hyphen, figure dash, em dash, minus sign) is read as with "-",
as a personnummer field reads it, not refused as a code of the wrong length."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from webapp.codes import case_code_problem, looks_like_personal_number, parse_case_code

from .catchup_world_support import world as world  # the fixture
from .codes_support import EXAMPLE

DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"]


@pytest.mark.parametrize("dash", DASHES)
def test_a_code_with_any_dash_is_read(dash: str) -> None:
    assert parse_case_code(EXAMPLE.replace("-", dash)) == EXAMPLE
    assert case_code_problem(EXAMPLE.replace("-", dash)) is None


@pytest.mark.parametrize("dash", DASHES)
def test_a_personnummer_with_any_dash_is_named_as_one(dash: str) -> None:
    assert looks_like_personal_number(f"19121212{dash}1212")


@pytest.mark.parametrize("dash", ["\u2014", "\u2212"])
def test_the_scan_station_opens_a_code_typed_with_another_dash(
    client: FlaskClient, world, dash: str
) -> None:
    response = client.get("/scan", query_string={"code": world["codes"][0].replace("-", dash)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/catchup/cases/{world['ids'][0]}")
    named = client.get("/scan", query_string={"code": f"19121212{dash}1212"})
    assert "Det här är ett personnummer." in named.get_data(as_text=True)
