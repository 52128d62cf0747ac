"""Scan station: the notice faxed to the referrer that an exam will not be done, scanned after
its case was restored. The notice is printed only while a case is cancelled: the station says
the notice no longer holds, and offers no reprint of it. One of a case never cancelled here
(cancelled on paper only, or lost with a restored backup) is warned of too."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.codes import make_case_payload
from webapp.extensions import db
from webapp.models import Case
from webapp.printing.versions import document_version

from .printforms.conftest import STANDARD_FAX, decoded_payloads

NO_LONGER_HOLDS = "Beskedet till remittenten gäller inte längre: ärendet återställdes"
NEVER_CANCELLED = (
    "Papperet är ett besked till remittenten om att undersökningen inte utförs, men ärendet "
    "är inte makulerat här."
)


def _cancel(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiographer")
    data = {"confirm_ris_pacs": "y", "reason": "Fel patient"}
    assert client.post(f"/cases/{case_id}/cancel", data=data).status_code == 302


def _notice_payload(client: FlaskClient, case_id: int) -> str:
    response = client.get(f"/print/cases/{case_id}/cancel-notice.pdf")
    assert response.status_code == 200
    return decoded_payloads(response.get_data(), STANDARD_FAX)[0][0]


def _restore(client: FlaskClient, auth, case_id: int) -> None:
    auth.logout()
    auth.login("admin")
    data = {"reason": "Rätt patient ändå"}
    assert client.post(f"/cases/{case_id}/restore", data=data).status_code == 302


def _scan(client: FlaskClient, auth, payload: str) -> str:
    auth.logout()
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": payload}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_cancel_notice_scanned_after_the_restore_says_it_no_longer_holds(
    client: FlaskClient, auth, case_id: int
) -> None:
    _cancel(client, auth, case_id)
    payload = _notice_payload(client, case_id)
    assert ":MAK:" in payload
    _restore(client, auth, case_id)
    page = _scan(client, auth, payload)
    assert NO_LONGER_HOLDS in page
    assert "(Rätt patient ändå): undersökningen ska göras och ärendet läggas in i RIS." in page
    # No reprint exists of a live case's notice, and the notice never said MAKULERAD.
    assert "Skriv ut på nytt" not in page and "Papperet är inaktuellt" not in page
    assert "kan säga MAKULERAD" not in page


def test_a_cancel_notice_of_a_case_still_cancelled_keeps_its_reprint(
    client: FlaskClient, auth, case_id: int
) -> None:
    # Cancelled, restored and cancelled again: the notice can be printed anew, and the old
    # one's reason may be another.
    _cancel(client, auth, case_id)
    payload = _notice_payload(client, case_id)
    _restore(client, auth, case_id)
    _cancel(client, auth, case_id)
    page = _scan(client, auth, payload)
    assert NO_LONGER_HOLDS not in page
    assert "Papperet är inaktuellt" in page and "Skriv ut på nytt." in page


def test_the_restored_notice_reads_in_english(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _cancel(client, auth, case_id)
    payload = _notice_payload(client, case_id)
    _restore(client, auth, case_id)
    auth.logout()
    auth.login("secretary")
    client.post("/language", data={"lang": "en"})
    page = client.get("/scan", query_string={"code": payload}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "The notice to the referrer no longer holds: the case was restored" in text
    assert NO_LONGER_HOLDS not in text


def _notice_of_a_live_case(app: Flask, case_id: int) -> str:
    """The QR of a notice for the case as it is now (never cancelled here)."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        return make_case_payload(case.code, "MAK", document_version(case, "cancel-notice"))


def test_a_cancel_notice_of_a_case_never_cancelled_here_is_warned_of(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    page = _scan(client, auth, _notice_of_a_live_case(app, case_id))
    warning = page.split(NEVER_CANCELLED, 1)[1].split("</", 1)[0]
    # What to do either way: the paper may be right, or an old notice of the case.
    assert "Makulera ärendet här om undersökningen inte ska göras" in warning
    assert "ska undersökningen göras och ärendet läggas in i RIS" in warning
    assert NO_LONGER_HOLDS not in page


def test_a_cancel_notice_of_a_restored_case_is_not_said_never_cancelled(
    client: FlaskClient, auth, case_id: int
) -> None:
    _cancel(client, auth, case_id)
    payload = _notice_payload(client, case_id)
    _restore(client, auth, case_id)
    page = _scan(client, auth, payload)
    assert NO_LONGER_HOLDS in page and NEVER_CANCELLED not in page


def test_another_sheet_of_a_live_case_gets_no_notice_warning(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    with app.app_context():
        case = db.session.get(Case, case_id)
        payload = make_case_payload(case.code, "REM", document_version(case, "referral"))
    page = _scan(client, auth, payload)
    assert NEVER_CANCELLED not in page
