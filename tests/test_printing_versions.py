"""Printed versions after an identity correction: a new original, and a warning at the scan."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, PrintRecord

from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .test_printing import _report

CORRECTION = {
    "id_mode": "pnr",
    "personal_number": "19800101-0027",
    "patient_name": "Åsa Öberg",
    "reason": "Förväxling",
}
OUTDATED = "Papperet är inaktuellt"
# An outdated sheet that names the patient the case had before a correction.
EARLIER = "Papperet visar en tidigare identitet"


@pytest.fixture
def signed_case(client: FlaskClient, auth, case_id: int) -> int:
    """The conftest case with a definitive report; logged in as the radiologist."""
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}", data=_report("definitive", "d" * 20))
    assert response.status_code == 302
    return case_id


def _print(client: FlaskClient, case_id: int, kind: str) -> bytes:
    response = client.get(f"/print/cases/{case_id}/{kind}.pdf")
    assert response.status_code == 200
    return response.get_data()


def _payload(pdf: bytes) -> str:
    return decoded_payloads(pdf, STANDARD_FAX)[0][0]


def _correct_identity(client: FlaskClient, case_id: int) -> None:
    assert client.post(f"/cases/{case_id}/identity", data=CORRECTION).status_code == 302


@pytest.mark.parametrize(("kind", "doc"), [("referral", "REM"), ("exam", "DOK"), ("report", "UTL")])
def test_first_print_after_identity_correction_is_an_original_with_a_new_version(
    app: Flask, client: FlaskClient, signed_case: int, kind: str, doc: str
) -> None:
    before = _payload(_print(client, signed_case, kind))
    _correct_identity(client, signed_case)
    after = _print(client, signed_case, kind)
    text = pdf_text(after)
    assert "Åsa Öberg" in text and "KOPIA" not in text
    assert _payload(after) != before
    assert _payload(after).rsplit(":", 2)[-2:] == [doc, str(int(before.rsplit(":", 1)[1]) + 1)]
    with app.app_context():
        records = db.session.scalars(select(PrintRecord).order_by(PrintRecord.id)).all()
        assert [r.is_reprint for r in records] == [False, False]


def test_second_print_after_identity_correction_is_a_copy(
    client: FlaskClient, signed_case: int
) -> None:
    _print(client, signed_case, "report")
    _correct_identity(client, signed_case)
    first, second = (_print(client, signed_case, "report") for _ in range(2))
    assert "KOPIA" not in pdf_text(first) and "KOPIA" in pdf_text(second)
    assert _payload(first) == _payload(second)


def test_cover_lists_the_documents_versions_after_identity_correction(
    client: FlaskClient, signed_case: int
) -> None:
    _correct_identity(client, signed_case)
    text = pdf_text(_print(client, signed_case, "cover"))
    assert "Remiss v2" in text and "Dokumentation v2" in text and "Utlåtande v2" in text


def _scan(client: FlaskClient, auth, payload: str) -> str:
    auth.logout()
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": payload}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _scan_events(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "scan")
        )


@pytest.mark.parametrize("kind", ["referral", "exam", "report"])
def test_scan_of_a_sheet_printed_before_identity_correction_warns(
    app: Flask, client: FlaskClient, auth, signed_case: int, kind: str
) -> None:
    old = _payload(_print(client, signed_case, kind))
    _correct_identity(client, signed_case)
    page = _scan(client, auth, old)
    assert (
        f"{EARLIER}: patientens identitet har rättats sedan det skrevs ut (version 1, nu 2)" in page
    )
    assert "Skriv ut på nytt." in page
    assert "Åsa Öberg" in page  # the scan still opens the case for the secretary
    assert _scan_events(app) == 1
    # Printing again is a tap away: the case page's prints, open to the secretary.
    assert f'href="/cases/{signed_case}#print-heading"' in page
    case_page = client.get(f"/cases/{signed_case}").get_data(as_text=True)
    assert f"/print/cases/{signed_case}/{kind}.pdf" in case_page


@pytest.mark.parametrize("kind", ["referral", "exam", "report"])
def test_scan_of_a_sheet_printed_after_identity_correction_does_not_warn(
    app: Flask, client: FlaskClient, auth, signed_case: int, kind: str
) -> None:
    _correct_identity(client, signed_case)
    current = _payload(_print(client, signed_case, kind))
    page = _scan(client, auth, current)
    assert OUTDATED not in page
    assert "Åsa Öberg" in page
    assert _scan_events(app) == 1


def test_typed_case_code_does_not_warn(client: FlaskClient, auth, signed_case: int) -> None:
    old = _payload(_print(client, signed_case, "report"))
    _correct_identity(client, signed_case)
    page = _scan(client, auth, old.split(":")[1])
    assert OUTDATED not in page and "Åsa Öberg" in page


def test_a_changed_priority_gives_the_referral_sheet_not_the_report_a_new_version(
    client: FlaskClient, signed_case: int
) -> None:
    referral = _payload(_print(client, signed_case, "referral"))
    report = _payload(_print(client, signed_case, "report"))
    change = {"priority": "rutin", "reason": "Stabil patient"}
    assert client.post(f"/reporting/{signed_case}/priority", data=change).status_code == 302
    new_referral = _print(client, signed_case, "referral")
    assert "KOPIA" not in pdf_text(new_referral) and _payload(new_referral) != referral
    new_report = _print(client, signed_case, "report")
    assert "KOPIA" in pdf_text(new_report) and _payload(new_report) == report


def test_scan_of_a_sheet_newer_than_the_database_warns(
    client: FlaskClient, auth, signed_case: int
) -> None:
    # After a restore from an older backup, the paper may hold a version (an addendum, a
    # corrected patient) that the database has lost: the paper is the record to key from.
    prefix, code, doc, version = _payload(_print(client, signed_case, "report")).split(":")
    page = _scan(client, auth, f"{prefix}:{code}:{doc}:{int(version) + 2}")
    assert (
        f"Papperet är nyare än uppgifterna här (version {int(version) + 2}, här {version})" in page
    )
    assert OUTDATED not in page
