"""A transfer with no case names its patient by name and ID: the two identifiers on its list
row and its page, so images of the wrong patient do not leave."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ImageTransfer

from .routines_support import transfer_case, transfer_data


def _transfer(app: Flask) -> ImageTransfer:
    with app.app_context():
        transfer = db.session.scalar(select(ImageTransfer))
        assert transfer is not None
        return transfer


def _field_errors(page: str, name: str) -> str:
    """The text of the field's block: its input and the messages beside it."""
    start = page.index(f'name="{name}"')
    return page[page.rindex("<div", 0, start) : page.index("</div>", start)]


def test_the_patients_name_is_stored_with_a_transfer_with_no_case(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    response = client.post(
        "/routines/transfers/new", data=transfer_data(patient_name=" Tolvan  Tolvansson ")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    transfer = _transfer(app)
    assert (transfer.patient_name, transfer.patient_ref) == ("Tolvan Tolvansson", "19121212-1212")


def test_the_transfer_list_names_the_patient_and_the_id(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/routines/transfers/new", data=transfer_data(patient_name="Tolvan Tolvansson"))
    page = client.get("/routines/transfers").get_data(as_text=True)
    row = page[page.index("<tbody>") : page.index("</tbody>")]
    assert re.search(r"Tolvan Tolvansson\W.*19121212-1212", row, re.S)


def test_the_transfer_page_names_the_patient_and_the_id(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    location = client.post(
        "/routines/transfers/new", data=transfer_data(patient_name="Tolvan Tolvansson")
    ).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    header = page[page.index("<h1>") : page.index('class="meta"')]
    assert "Tolvan Tolvansson" in header and "19121212-1212" in header


def test_a_personnummer_with_no_name_is_refused_beside_the_name_keeping_what_was_typed(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    response = client.post(
        "/routines/transfers/new", data=transfer_data(patient_name="", note="Ring först")
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ange patientens namn." in _field_errors(page, "patient_name")
    assert 'value="19121212-1212"' in page and "Ring först" in page
    with app.app_context():
        assert db.session.scalar(select(ImageTransfer)) is None


def test_a_reserve_number_may_go_without_a_name(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    response = client.post(
        "/routines/transfers/new", data=transfer_data(patient_ref="RES-4711", patient_name="")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get("/routines/transfers").get_data(as_text=True)
    assert "Namn okänt" in page and "RES-4711" in page


@pytest.mark.parametrize("name", ["Å" * 201, "A" * 300])
def test_a_name_past_its_column_is_refused_in_swedish(
    app: Flask, client: FlaskClient, auth, name: str
) -> None:
    auth.login("radiographer")
    response = client.post("/routines/transfers/new", data=transfer_data(patient_name=name))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "får inte vara längre än 200 tecken" in _field_errors(page, "patient_name")
    assert name in page


def test_a_transfer_of_a_case_shows_the_cases_name_not_a_typed_one(
    app: Flask, client: FlaskClient, auth
) -> None:
    _case_id, code = transfer_case(app, client, auth)
    location = client.post(
        "/routines/transfers/new",
        data=transfer_data(exam_text="", patient_ref="", patient_name="Fel Namn", case_code=code),
    ).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "Fel Namn" not in page and "Örjan Älvström" in page
    assert _transfer(app).patient_name == ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("19121212-1213", "Kontrollsiffran stämmer inte"),
        ("191212121213", "Kontrollsiffran stämmer inte"),
        ("19121312-1211", "Datumet finns inte"),
    ],
)
def test_a_mistyped_personnummer_is_refused_beside_the_id_and_not_sent_as_a_reserve_number(
    app: Flask, client: FlaskClient, auth, typed: str, message: str
) -> None:
    """A slip of one digit named another person (or no one) to the other hospital: only text
    that is no attempt at a personnummer goes as a region's reserve number."""
    auth.login("radiographer")
    response = client.post("/routines/transfers/new", data=transfer_data(patient_ref=typed))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    beside = _field_errors(page, "patient_ref")
    assert message in beside and f'value="{typed}"' in beside
    with app.app_context():
        assert db.session.scalar(select(ImageTransfer)) is None


def test_a_reserve_number_is_still_sent_as_typed(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    response = client.post(
        "/routines/transfers/new", data=transfer_data(patient_ref="RES-4711", patient_name="Okänd")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _transfer(app).patient_ref == "RES-4711"


def test_a_reserve_number_in_the_personnummers_form_goes_once_its_sender_says_so(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    typed = "19121212-1213"
    refused = client.post("/routines/transfers/new", data=transfer_data(patient_ref=typed))
    assert 'name="ref_is_reserve"' in refused.get_data(as_text=True)
    response = client.post(
        "/routines/transfers/new", data=transfer_data(patient_ref=typed, ref_is_reserve="y")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _transfer(app).patient_ref == typed
