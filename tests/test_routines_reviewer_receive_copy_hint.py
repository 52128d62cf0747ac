"""Before the receive form is sent, its tick for the copy to the referrer says when it cannot
be logged: the case has no signed report and the user cannot type the text that would sign
one (a radiographer). A radiologist can, so the tick is left without the hint for them."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .factories import case_code
from .routines_support import make_case, receive_data

HINT = "Ärendet har inget signerat utlåtande"


def _tick_block(page: str) -> str:
    start = page.index('name="forwarded"')
    return page[page.rindex("<div", 0, start) : page.index("</div>", start)]


def _form(client: FlaskClient, code: str) -> str:
    response = client.get(f"/routines/reviewer/receive?code={code}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_radiographer_is_told_beside_the_tick_before_sending(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = case_code(app, make_case(client, auth))
    auth.login("radiographer")
    block = _tick_block(_form(client, code))
    assert HINT in block
    assert 'aria-describedby="forwarded-hint"' in block and 'id="forwarded-hint"' in block


def test_the_hint_stays_on_the_confirmation_of_the_patient(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = case_code(app, make_case(client, auth))
    auth.login("radiographer")
    data = receive_data(code, forwarded=False, confirmed=False)
    response = client.post("/routines/reviewer/receive", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="confirm-case"' in page and HINT in _tick_block(page)


def test_a_radiographer_gets_no_hint_when_a_report_was_signed_before(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = case_code(app, make_case(client, auth, report="preliminary"))
    auth.login("radiographer")
    block = _tick_block(_form(client, code))
    assert HINT not in block and "aria-describedby" not in block


def test_a_radiologist_who_can_type_the_text_gets_no_hint(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = case_code(app, make_case(client, auth))
    auth.login("radiologist")
    page = _form(client, code)
    assert 'name="findings"' in page
    assert HINT not in _tick_block(page)


def test_no_hint_before_a_case_is_named(client: FlaskClient, auth) -> None:
    make_case(client, auth)
    auth.login("radiographer")
    page = client.get("/routines/reviewer/receive").get_data(as_text=True)
    assert HINT not in page


def test_the_hint_reads_in_english(app: Flask, client: FlaskClient, auth) -> None:
    code = case_code(app, make_case(client, auth))
    auth.login("radiographer")
    assert client.post("/language", data={"lang": "en", "next": "/"}).status_code == 302
    block = _tick_block(_form(client, code))
    assert "The case has no signed report" in block and HINT not in block
