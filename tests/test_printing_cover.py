"""The red-tray cover printed again: ÄNDRAD when what it lists changed, KOPIA when it did not,
while its QR keeps the case's version for the scan station's identity check."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import func, select, update

from webapp.extensions import db
from webapp.models import PrintRecord
from webapp.printing.sheets import fmt_time

from .factories import exam_data, referral_data
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .test_printing import _report
from .test_printing_versions import EARLIER

CHANGED = "ÄNDRAD"
OUTDATED = "Papperet är inaktuellt"
CORRECTION = {
    "id_mode": "pnr",
    "personal_number": "19800101-0027",
    "patient_name": "Åsa Öberg",
    "reason": "Förväxling",
}


def _print(client: FlaskClient, case_id: int, kind: str = "cover") -> bytes:
    response = client.get(f"/print/cases/{case_id}/{kind}.pdf")
    assert response.status_code == 200
    return response.get_data()


def _payload(pdf: bytes) -> str:
    return decoded_payloads(pdf, STANDARD_FAX)[0][0]


def _referral_only(client: FlaskClient, auth) -> str:
    """A new case with its referral only; logged in as the radiographer. Returns its URL."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def _first_print_at(app: Flask) -> str:
    with app.app_context():
        return fmt_time(db.session.scalar(select(func.min(PrintRecord.at))))


def test_cover_printed_again_after_the_exam_was_added_says_changed(
    app: Flask, client: FlaskClient, auth
) -> None:
    location = _referral_only(client, auth)
    case_id = int(location.rsplit("/", 1)[-1])
    first = _print(client, case_id)
    assert "Dokumentation" not in pdf_text(first)
    assert client.post(location + "/exam", data=exam_data()).status_code == 302
    again = pdf_text(_print(client, case_id))
    assert "Dokumentation v1" in again
    assert "KOPIA" not in again
    assert CHANGED in again and f"sedan utskriften {_first_print_at(app)}" in again


def test_cover_printed_again_after_the_report_was_signed_says_changed(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _print(client, case_id)
    assert (
        client.post(f"/reporting/{case_id}", data=_report("definitive", "d" * 20)).status_code
        == 302
    )
    again = pdf_text(_print(client, case_id))
    assert "Utlåtande v1" in again
    assert "KOPIA" not in again and CHANGED in again


def test_cover_printed_again_after_an_addendum_says_changed(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    assert (
        client.post(f"/reporting/{case_id}", data=_report("definitive", "d" * 20)).status_code
        == 302
    )
    _print(client, case_id)
    addendum = {"text": "Jämfört: oförändrat."}
    assert client.post(f"/reporting/{case_id}/addendum", data=addendum).status_code == 302
    again = pdf_text(_print(client, case_id))
    assert "Utlåtande v2" in again
    assert "KOPIA" not in again and CHANGED in again


def test_cover_printed_again_unchanged_is_a_copy(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiographer")
    first = pdf_text(_print(client, case_id))
    copy = pdf_text(_print(client, case_id))
    assert "KOPIA" not in first and CHANGED not in first
    assert "KOPIA" in copy and CHANGED not in copy


def test_a_copy_of_the_changed_cover_says_changed_and_copy(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _print(client, case_id)
    client.post(f"/reporting/{case_id}", data=_report("definitive", "d" * 20))
    changed = pdf_text(_print(client, case_id))
    copy = pdf_text(_print(client, case_id))
    assert CHANGED in changed and "KOPIA" not in changed
    assert CHANGED in copy and "KOPIA" in copy


def test_cover_qr_keeps_the_case_version_when_documents_are_added(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    before = _payload(_print(client, case_id))
    client.post(f"/reporting/{case_id}", data=_report("definitive", "d" * 20))
    after = _payload(_print(client, case_id))
    assert after == before


def test_cover_printed_in_one_go_with_the_other_documents_follows_the_same_rule(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _print(client, case_id, "all")
    client.post(f"/reporting/{case_id}", data=_report("definitive", "d" * 20))
    pages = PdfReader(io.BytesIO(_print(client, case_id, "all"))).pages
    cover = pages[0].extract_text()
    assert "RÖD BACK" in cover
    assert CHANGED in cover and "KOPIA" not in cover


def _scan(client: FlaskClient, auth, payload: str) -> str:
    auth.logout()
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": payload}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_scan_of_a_cover_printed_before_the_report_does_not_warn(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    old = _payload(_print(client, case_id))
    client.post(f"/reporting/{case_id}", data=_report("definitive", "d" * 20))
    assert OUTDATED not in _scan(client, auth, old)


def test_scan_of_a_cover_printed_before_identity_correction_warns(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    old = _payload(_print(client, case_id))
    assert client.post(f"/cases/{case_id}/identity", data=CORRECTION).status_code == 302
    new = _print(client, case_id)
    assert CHANGED in pdf_text(new) and "KOPIA" not in pdf_text(new)
    page = _scan(client, auth, old)
    assert (
        f"{EARLIER}: patientens identitet har rättats sedan det skrevs ut (version 1, nu 2)" in page
    )


def test_cover_printed_before_content_versions_were_recorded_reprints_as_a_copy(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # A print logged by the earlier release has no content version: it is judged by the
    # version it carried, so the first reprint after the upgrade is no false ÄNDRAD.
    auth.login("radiographer")
    _print(client, case_id)
    with app.app_context():
        db.session.execute(update(PrintRecord).values(content_version=None))
        db.session.commit()
    copy = pdf_text(_print(client, case_id))
    assert "KOPIA" in copy and CHANGED not in copy


def _cancel_and_restore(client: FlaskClient, auth, case_id: int) -> None:
    auth.logout()
    auth.login("radiographer")
    cancel = {"reason": "Fel patient", "confirm_ris_pacs": "y"}
    assert client.post(f"/cases/{case_id}/cancel", data=cancel).status_code == 302
    auth.logout()
    auth.login("admin")
    restore = {"reason": "Rätt patient ändå"}
    assert client.post(f"/cases/{case_id}/restore", data=restore).status_code == 302


def test_scan_of_a_cover_printed_before_a_cancel_that_was_undone_does_not_warn(
    client: FlaskClient, auth, case_id: int
) -> None:
    # The cover shows what it showed: the same patient, not cancelled. Its QR carries the
    # case's version, which the cancel and the restore each raised.
    auth.login("radiographer")
    old = _payload(_print(client, case_id))
    _cancel_and_restore(client, auth, case_id)
    page = _scan(client, auth, old)
    assert OUTDATED not in page and "makulerat" not in page


def test_scan_of_a_cover_printed_before_a_cancel_undone_and_an_identity_correction_warns(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    old = _payload(_print(client, case_id))
    _cancel_and_restore(client, auth, case_id)
    auth.logout()
    auth.login("radiographer")
    assert client.post(f"/cases/{case_id}/identity", data=CORRECTION).status_code == 302
    page = _scan(client, auth, old)
    assert (
        f"{EARLIER}: patientens identitet har rättats sedan det skrevs ut (version 1, nu 4)" in page
    )


def test_scan_of_a_cover_printed_before_its_case_was_cancelled_says_only_that_it_is_cancelled(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    old = _payload(_print(client, case_id))
    cancel = {"reason": "Fel patient", "confirm_ris_pacs": "y"}
    assert client.post(f"/cases/{case_id}/cancel", data=cancel).status_code == 302
    page = _scan(client, auth, old)
    assert "Ärendet är makulerat (Fel patient): lägg inte in papperet i RIS." in page
    assert OUTDATED not in page
