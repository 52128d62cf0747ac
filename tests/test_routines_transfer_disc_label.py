"""The label of a transfer's DVD that travels with the patient, printed from the transfer."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, PrintRecord

from .factories import DEFAULT_PIN, make_user, second_site
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .routines_support import transfer_case, transfer_data

LINK_TEXT = "Skriv ut skivetikett"
DVD = {"route": "dvd", "outcome": "pending"}


def _transfer(client: FlaskClient, code: str, **overrides: str) -> str:
    """A transfer of the case `code` to Grannby, its page's address."""
    data = transfer_data(exam_text="", patient_ref="", patient_name="", case_code=code)
    response = client.post("/routines/transfers/new", data=data | overrides)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _dvd(client: FlaskClient, url: str) -> None:
    assert client.post(url + "/attempts", data=DVD).status_code == 302


def _prints(app: Flask) -> list[tuple[str, bool]]:
    with app.app_context():
        return [
            (r.doc, r.is_reprint)
            for r in db.session.scalars(select(PrintRecord).order_by(PrintRecord.id))
        ]


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def _id(url: str) -> int:
    return int(url.rstrip("/").rsplit("/", 1)[-1])


def test_a_logged_dvd_try_offers_the_label_in_a_new_tab(
    app: Flask, client: FlaskClient, auth
) -> None:
    _case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    assert LINK_TEXT not in client.get(url).get_data(as_text=True)
    _dvd(client, url)
    page = client.get(url).get_data(as_text=True)
    link = re.search(rf'<a [^>]*href="{url}/label.pdf"[^>]*>', page)
    assert link is not None and 'target="_blank"' in link.group(0)
    assert LINK_TEXT in page


def test_the_label_names_the_patient_twice_the_exam_the_route_and_reads_back_at_fax(
    app: Flask, client: FlaskClient, auth
) -> None:
    _case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    _dvd(client, url)
    response = client.get(url + "/label.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    pdf = response.get_data()
    text = _text(pdf)
    for value in (
        "SKIVETIKETT",
        "Örjan Älvström",
        "19121212-1212",
        code,
        "INNEHÅLLER PATIENTUPPGIFTER",
        "DT hjärna utan kontrast, CT,",
        "DVD: Bilder",
        "Bild- och funktionsmedicin, Exempelstads sjukhus, tel 0999-100 00",
        "Grannby universitetssjukhus (Region Grannby), tel 0888-100 00",
        "Med patienttransporten",
        "röntgenstämpeln",
    ):
        assert value in text, value
    label = f"RR1:{code.replace('-', '')}:ETKT{_id(url)}:1"
    assert decoded_payloads(pdf, STANDARD_FAX) == [[label]]


def test_the_label_print_is_in_the_access_log_and_a_second_is_a_copy(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    _dvd(client, url)
    first = client.get(url + "/label.pdf").get_data()
    second = client.get(url + "/label.pdf").get_data()
    assert "KOPIA" not in _text(first) and "KOPIA" in _text(second)
    doc = f"transfer-disc-{_id(url)}"
    assert _prints(app) == [(doc, False), (doc, True)]
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "print")).all()
    assert [(e.username, e.case_id) for e in events] == [("test-radiographer", case_id)] * 2
    assert events[0].patient_ref == "191212121212"
    assert doc in events[0].detail


@pytest.mark.parametrize("role", ["radiologist", "secretary", "admin"])
def test_every_clinical_role_prints_the_label(
    app: Flask, client: FlaskClient, auth, role: str
) -> None:
    _case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    _dvd(client, url)
    auth.logout()
    auth.login(role)
    response = client.get(url + "/label.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_another_sites_user_gets_no_label_and_nothing_is_logged(
    app: Flask, client: FlaskClient, auth
) -> None:
    _case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    _dvd(client, url)
    auth.logout()
    with app.app_context():
        make_user(role="radiographer", username="lillby-rtg", site_id=second_site(app))
    client.post("/login", data={"username": "lillby-rtg", "secret": DEFAULT_PIN})
    response = client.get(url + "/label.pdf")
    assert response.status_code == 404
    assert "Örjan" not in response.get_data(as_text=True)
    assert _prints(app) == []


def test_logged_out_gets_no_label(app: Flask, client: FlaskClient, auth) -> None:
    _case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    _dvd(client, url)
    auth.logout()
    response = client.get(url + "/label.pdf")
    assert response.status_code in (302, 401)
    assert response.mimetype != "application/pdf"
    assert _prints(app) == []


def _refused(app: Flask, client: FlaskClient, url: str, message: str) -> None:
    page = client.get(url).get_data(as_text=True)
    assert "label.pdf" not in page
    response = client.get(url + "/label.pdf")
    assert response.status_code == 302 and response.mimetype != "application/pdf"
    assert message in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _prints(app) == []


def test_no_label_before_a_dvd_try_is_logged(app: Flask, client: FlaskClient, auth) -> None:
    _case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    client.post(url + "/attempts", data={"route": "direct", "outcome": "failed"})
    _refused(app, client, url, "Logga först försöket med DVD med patienttransporten.")


def test_images_received_have_no_label_from_us(app: Flask, client: FlaskClient, auth) -> None:
    _case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code, direction="receive")
    _dvd(client, url)
    _refused(app, client, url, "Skivan märks av sjukhuset som skickar bilderna.")


def test_the_label_link_reads_in_english(app: Flask, client: FlaskClient, auth) -> None:
    _case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    _dvd(client, url)
    client.post("/language", data={"lang": "en"})
    page = client.get(url).get_data(as_text=True)
    assert "Print the disc label" in page and LINK_TEXT not in page


def test_a_typed_patient_id_of_forty_wide_letters_still_prints_the_label(
    app: Flask, client: FlaskClient, auth
) -> None:
    # A foreign hospital's patient number as long as the field takes, with a long name: the
    # header's patient line wraps rather than refuse the print.
    number = "W" * 40
    name = " ".join(["Wilhelmina Wåhlström-Wennerwik"] * 7)[:200]
    _case_id, _code = transfer_case(app, client, auth)
    url = _transfer(client, "", exam_text="DT hjärna", patient_ref=number, patient_name=name)
    _dvd(client, url)
    response = client.get(url + "/label.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = response.get_data()
    pages = PdfReader(io.BytesIO(pdf)).pages
    # The number whole on every page, and the transfer's QR on every page read back.
    assert all(number in " ".join((page.extract_text() or "").split()) for page in pages)
    assert all(len(found) == 1 for found in decoded_payloads(pdf, STANDARD_FAX))
    assert _prints(app) == [(f"transfer-disc-{_id(url)}", False)]
