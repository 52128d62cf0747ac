"""A transfer with no case: its DVD label carries the transfer's reference, which the scan
station opens."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.codes import CodeError, make_transfer_reference, parse_case_code, parse_scan
from webapp.extensions import db
from webapp.models import AuditEvent, ImageTransfer, PrintRecord
from webapp.transfer_refs import transfer_payload, transfer_reference

from .catchup_support import login_at_second_site
from .factories import audit_events
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .routines_support import transfer_data

DVD = {"route": "dvd", "outcome": "pending"}
REF_RE = re.compile(r"T[1-9][0-9]*-[2-9A-HJKMNP-Z]{5}")


def _caseless(client: FlaskClient, auth) -> str:
    """A transfer typed without a case, its DVD try logged; its page's address."""
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    assert client.post(url + "/attempts", data=DVD).status_code == 302
    return url


def _reference(app: Flask) -> tuple[int, str, str]:
    with app.app_context():
        transfer = db.session.scalars(select(ImageTransfer)).one()
        return transfer.id, transfer_reference(transfer), transfer_payload(transfer)


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_the_reference_is_never_read_as_a_case_code() -> None:
    reference = make_transfer_reference(7, "K7Q3")
    for text in (reference, reference.replace("-", "")):
        try:
            parse_case_code(text)
        except CodeError:
            continue
        raise AssertionError(text)


def test_a_transfer_without_a_case_prints_its_label_with_the_reference_and_qr(
    app: Flask, client: FlaskClient, auth
) -> None:
    url = _caseless(client, auth)
    page = client.get(url).get_data(as_text=True)
    assert "skriv personnummer och namn på skivan för hand" not in page
    transfer_id, reference, payload = _reference(app)
    assert REF_RE.fullmatch(reference) and reference.startswith(f"T{transfer_id}-")
    assert reference in page and f"{url}/label.pdf" in page
    response = client.get(url + "/label.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = response.get_data()
    text = _text(pdf)
    for value in ("SKIVETIKETT", "Tolvan Tolvansson", "19121212-1212", reference, "DT hjärna"):
        assert value in text, value
    assert "Grannby universitetssjukhus (Region Grannby), tel 0888-100 00" in text
    assert payload == f"RR1:{reference}:OVF:1"
    assert decoded_payloads(pdf, STANDARD_FAX) == [[payload]]


def test_the_label_print_is_in_the_access_log_and_a_second_is_a_copy(
    app: Flask, client: FlaskClient, auth
) -> None:
    url = _caseless(client, auth)
    transfer_id, _reference_text, _payload = _reference(app)
    first = client.get(url + "/label.pdf").get_data()
    second = client.get(url + "/label.pdf").get_data()
    assert "KOPIA" not in _text(first) and "KOPIA" in _text(second)
    doc = f"transfer-disc-{transfer_id}"
    with app.app_context():
        prints = db.session.scalars(select(PrintRecord).order_by(PrintRecord.id)).all()
        assert [(p.doc, p.is_reprint, p.case_id) for p in prints] == [
            (doc, False, None),
            (doc, True, None),
        ]
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "print")).all()
    assert [(e.username, e.patient_ref) for e in events] == [
        ("test-radiographer", "19121212-1212")
    ] * 2
    assert doc in events[0].detail and "(kopia)" in events[1].detail


def test_the_scan_station_opens_the_transfer_of_its_label(
    app: Flask, client: FlaskClient, auth
) -> None:
    url = _caseless(client, auth)
    _id, reference, payload = _reference(app)
    auth.logout()
    auth.login("secretary")
    for scanned in (payload, payload.replace(":", "Ö").lower(), reference):
        response = client.get("/scan", query_string={"code": scanned})
        assert response.status_code == 302, scanned
        assert response.headers["Location"].endswith(url.split("://")[-1].split("localhost")[-1])
    scans = audit_events(app, "scan")
    assert [e.detail for e in scans] == [payload, payload, reference]
    assert {e.patient_ref for e in scans} == {"19121212-1212"}
    assert audit_events(app, "scan_refused") == []


def test_a_label_read_by_a_us_layout_scanner_on_a_swedish_keyboard_opens_the_transfer(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Such a scanner types ":" as "Ö" and the reference's "-" as "+", as for an incident list's
    # stamp: the label was refused as no Reservrutin code at all.
    url = _caseless(client, auth)
    _id, _reference_text, payload = _reference(app)
    auth.logout()
    auth.login("secretary")
    scanned = payload.replace(":", "Ö").replace("-", "+")
    response = client.get("/scan", query_string={"code": scanned})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(url.split("://")[-1].split("localhost")[-1])
    assert [e.detail for e in audit_events(app, "scan")] == [payload]
    assert audit_events(app, "scan_refused") == []


def test_a_reference_with_a_wrong_check_character_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    _caseless(client, auth)
    _id, reference, payload = _reference(app)
    wrong = "2" if reference[-1] != "2" else "3"
    auth.logout()
    auth.login("secretary")
    for scanned in (reference[:-1] + wrong, payload.replace(reference, reference[:-1] + wrong)):
        response = client.get("/scan", query_string={"code": scanned})
        assert response.status_code == 400
        assert "referens är felskriven" in response.get_data(as_text=True)
        assert "Tolvan" not in response.get_data(as_text=True)
    assert audit_events(app, "scan") == []
    assert len(audit_events(app, "scan_refused")) == 2


def test_a_parsed_reference_names_the_transfer_and_its_stamp() -> None:
    reference = make_transfer_reference(42, "K7Q3")
    for text in (f"RR1:{reference}:OVF:1", reference, reference.replace("-", "").lower()):
        result = parse_scan(text)
        assert (result.kind, result.transfer_id, result.transfer_stamp) == ("transfer", 42, "K7Q3")
        assert result.case_code is None


def test_another_sites_transfer_is_refused_naming_only_the_site(
    app: Flask, client: FlaskClient, auth
) -> None:
    _caseless(client, auth)
    _id, _reference_text, payload = _reference(app)
    login_at_second_site(app, client, auth)
    response = client.get("/scan", query_string={"code": payload})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "hör till en överföring på en annan enhet: Röntgen Exempelstad" in page
    assert "Tolvan" not in page and "19121212" not in page
    assert audit_events(app, "scan") == []
    (row,) = audit_events(app, "scan_refused")
    assert row.patient_ref == "" and row.case_id is None


def test_a_reference_of_another_laptops_transfer_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Every laptop numbers its transfers from 1: the same id with another stamp is not ours.
    _caseless(client, auth)
    transfer_id, reference, _payload = _reference(app)
    stamp = "2222" if reference[-5:-1] != "2222" else "3333"
    other = make_transfer_reference(transfer_id, stamp)
    auth.logout()
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": other})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert f"Ingen överföring har referensen {other} här." in page and "Tolvan" not in page
    assert audit_events(app, "scan") == []


def test_a_reference_with_an_id_beyond_any_row_is_refused_not_an_error(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("secretary")
    # Beyond PostgreSQL's integer, and SQLite's: found nowhere, never a database error.
    for transfer_id in (2**31, 10**19):
        reference = make_transfer_reference(transfer_id, "K7Q3")
        response = client.get("/scan", query_string={"code": reference})
        assert response.status_code in (400, 404), reference
        assert "Kontrollera skivetiketten" in response.get_data(as_text=True)
