"""A disc of a patient examined under a reserve number and identified later: the images on it
carry the reserve number in their headers, so its label names that number beside the
personnummer, or the receiver sees a label under one number and images under another."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, ImageRelease

from .factories import case_code, exam_data, identity_data, unidentified_referral_data
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .routines_support import make_case, report_form
from .test_routines_release_disc_label import BY_POST
from .test_routines_transfer_disc_label import _dvd, _transfer

MARKED = "Bilderna kan vara märkta med reservnummer RES-0007"


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def _corrected_case(client: FlaskClient, auth, scenario: str, report: bool) -> int:
    """A case examined under RES-0007, then identified by personnummer (reported definitively
    when asked); logged out."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": scenario})
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    assert client.post(location + "/exam", data=exam_data()).status_code == 302
    assert client.post(location + "/identity", data=identity_data()).status_code == 302
    auth.logout()
    case_id = int(location.rsplit("/", 1)[-1])
    if report:
        auth.login("radiologist")
        client.post(f"/reporting/{case_id}", data=report_form("preliminary", "p" * 20))
        client.post(f"/reporting/{case_id}", data=report_form("definitive", "d" * 20, "1"))
        auth.logout()
    return case_id


def _released(app: Flask, client: FlaskClient, auth, case_id: int) -> int:
    auth.login("secretary")
    response = client.post(f"/routines/releases/cases/{case_id}", data=BY_POST)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        return db.session.scalars(select(ImageRelease.id)).one()


def _print_events(app: Flask) -> list[tuple[str, int | None]]:
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "print"))
        return [(e.username, e.case_id) for e in events]


def test_a_released_disc_of_a_corrected_patient_names_the_reserve_number(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _corrected_case(client, auth, "external_reviewer", report=True)
    release_id = _released(app, client, auth, case_id)
    response = client.get(f"/routines/releases/{release_id}/label.pdf")
    assert response.status_code == 200
    pdf = response.get_data()
    text = _text(pdf)
    # On the disc (what to write, and its box) and on the slip the receiver reads.
    assert text.count(MARKED) == 2
    assert "19121212-1212" in text and "Örjan Älvström" in text
    code = case_code(app, case_id).replace("-", "")
    assert decoded_payloads(pdf, STANDARD_FAX) == [[f"RR1:{code}:ETKU{release_id}:2"]]
    assert _print_events(app) == [("test-secretary", case_id)]


def test_a_released_disc_of_a_patient_never_unidentified_names_no_reserve_number(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _released(app, client, auth, make_case(client, auth, report="definitive"))
    text = _text(client.get(f"/routines/releases/{release_id}/label.pdf").get_data())
    assert "19121212-1212" in text
    assert "reservnummer" not in text.lower()


def test_a_transfers_dvd_of_a_corrected_patient_names_the_reserve_number(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _corrected_case(client, auth, "image_transfer", report=False)
    auth.login("radiographer")
    url = _transfer(client, case_code(app, case_id))
    _dvd(client, url)
    pdf = client.get(url + "/label.pdf").get_data()
    text = _text(pdf)
    assert text.count(MARKED) == 2 and "19121212-1212" in text
    # The slip's extra line may take the last routine note onto a second page, which has the
    # label's QR too.
    code = case_code(app, case_id).replace("-", "")
    label = f"RR1:{code}:ETKT{url.rstrip('/').rsplit('/', 1)[-1]}:2"
    assert set(map(tuple, decoded_payloads(pdf, STANDARD_FAX))) == {(label,)}
    assert _print_events(app) == [("test-radiographer", case_id)]


@pytest.mark.parametrize("patient_ref", ["RES-0007", "19121212-1212"])
def test_a_transfers_dvd_without_a_case_names_no_earlier_number(
    app: Flask, client: FlaskClient, auth, patient_ref: str
) -> None:
    make_case(client, auth, scenario="image_transfer", exam=False)
    auth.login("radiographer")
    url = _transfer(
        client, "", exam_text="DT hjärna", patient_ref=patient_ref, patient_name="Tolvan"
    )
    _dvd(client, url)
    text = _text(client.get(url + "/label.pdf").get_data())
    assert patient_ref in text
    assert "Bilderna kan vara märkta" not in text
