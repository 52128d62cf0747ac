"""A personnummer typed where a routine asks for the case code (the reviewer's faxed report, an
image transfer) is named as a personnummer beside the field, as the scan station does, rather
than as a case code of the wrong length; the receive page's example is a code that can exist."""

from __future__ import annotations

from html import escape

import pytest
from flask.testing import FlaskClient

from webapp.codes import parse_case_code
from webapp.i18n_en import EN

MSG = "Det här är ett personnummer. Skriv ärendekoden som står på papperet (t.ex. K7M-2Q2)."
FORMS = ("/routines/reviewer/receive", "/routines/transfers/new")


@pytest.fixture
def admin(client: FlaskClient, auth) -> FlaskClient:
    auth.login("admin")
    client.post("/incidents/new", data={"scenario": "total"})
    return client


@pytest.mark.parametrize("url", FORMS)
@pytest.mark.parametrize("typed", ["19121212-1212", "121212-1212", "191212121212", "121212 1212"])
def test_a_personnummer_as_case_code_is_named_as_one_and_kept(
    admin: FlaskClient, url: str, typed: str
) -> None:
    response = admin.post(url, data={"case_code": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert escape(MSG) in page
    assert "ska ha 6 tecken" not in page
    assert f'value="{typed}"' in page


def test_the_message_has_its_english() -> None:
    assert EN[MSG].startswith("This is a personal identity number.")


def test_the_receive_pages_example_is_a_case_code_that_can_exist(admin: FlaskClient) -> None:
    page = admin.get("/routines/reviewer/receive").get_data(as_text=True)
    assert "ABC-123" not in page
    assert "T.ex. K7M-2Q2" in page
    assert parse_case_code("K7M-2Q2") == "K7M-2Q2"
    assert EN["T.ex. K7M-2Q2"] == "E.g. K7M-2Q2"
