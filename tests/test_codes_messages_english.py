"""A refused case code or scan reads in the user's language, whatever the code held."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.codes import CodeError, parse_case_code

from .catchup_world_support import world as world  # the fixture, shared
from .factories import audit_events
from .routines_support import make_case, transfer_data


def _in_english(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "en", "next": "/"})


@pytest.mark.parametrize(
    ("typed", "swedish", "english"),
    [
        (
            "K7O-2Q2",  # O typed for a zero the code alphabet does not have
            "Tecknet 'O' finns inte i ärendekoder (koderna använder inte 0, O, 1, I eller L).",
            "The character 'O' is not used in case codes (codes do not use 0, O, 1, I or L).",
        ),
        (
            "K7M-2Q#",
            "Tecknet '#' finns inte i ärendekoder.",
            "The character '#' is not used in case codes.",
        ),
        (
            "RR1:K7M2Q2:XYZ:1",
            "Okänd dokumenttyp 'XYZ' i koden.",
            "Unknown document type 'XYZ' in the code.",
        ),
        (
            "RR1:K7M2Q2:UTL:0",
            "Versionen måste vara ett positivt heltal.",
            "The version must be a positive whole number.",
        ),
        (
            "RR1:I0:LST:1",
            "Incident-id måste vara ett positivt heltal.",
            "The incident id must be a positive whole number.",
        ),
        (
            "RR1:I3:LST:0",
            "Sidnumret måste vara ett positivt heltal.",
            "The page number must be a positive whole number.",
        ),
    ],
    ids=["look-alike", "bad-char", "unknown-doc", "version", "incident-id", "page"],
)
def test_a_refused_scan_reads_in_english_next_to_the_field_and_is_logged_in_swedish(
    app: Flask, client: FlaskClient, world, typed: str, swedish: str, english: str
) -> None:
    sv = client.get("/scan", query_string={"code": typed})
    assert sv.status_code == 400 and _escaped(swedish) in sv.get_data(as_text=True)
    _in_english(client)
    en = client.get("/scan", query_string={"code": typed})
    page = en.get_data(as_text=True)
    assert en.status_code == 400
    assert _escaped(english) in page and _escaped(swedish) not in page
    assert f'value="{typed}"' in page  # what was typed stays in the field
    rows = audit_events(app, "scan_refused")
    assert [row.detail for row in rows] == [f"{typed} – {swedish}"] * 2


def _escaped(text: str) -> str:
    return text.replace("'", "&#39;")


def test_the_swedish_message_is_unchanged_by_its_template() -> None:
    with pytest.raises(CodeError) as info:
        parse_case_code("K7M-2QI")
    assert str(info.value) == (
        "Tecknet 'I' finns inte i ärendekoder (koderna använder inte 0, O, 1, I eller L)."
    )
    assert str(info.value) == info.value.template % info.value.values


def test_a_typed_code_with_a_look_alike_in_a_routine_form_reads_in_english(
    client: FlaskClient, auth
) -> None:
    make_case(client, auth)
    auth.login("radiographer")
    _in_english(client)
    response = client.post("/routines/transfers/new", data=transfer_data(case_code="K7O-2Q2"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    english = "The character 'O' is not used in case codes (codes do not use 0, O, 1, I or L)."
    assert _escaped(english) in page
    assert "finns inte i ärendekoder" not in page


def test_an_unknown_code_in_a_routine_form_reads_in_english(client: FlaskClient, auth) -> None:
    make_case(client, auth)
    auth.login("radiographer")
    _in_english(client)
    response = client.post("/routines/transfers/new", data=transfer_data(case_code="K7M-2Q2"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "No case has the code K7M-2Q2." in page and "Inget ärende" not in page
    assert 'value="K7M-2Q2"' in page
