"""A sheet printed again after its content changed says so, never a plain KOPIA of the first."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ExamRecord, PrintRecord
from webapp.printing.sheets import fmt_time

from .factories import exam_data, referral_data
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .test_printing import _report

CHANGED = "ÄNDRAD"
CALL = {
    "form_key": "call-" + "c" * 20,
    "called_person": "Dr Åberg",
    "phone_number": "0999-123 45",
    "called_at": "2026-01-15T11:20",
    "note": "Neurokirurg kontaktas",
}


def _print(client: FlaskClient, case_id: int, kind: str) -> bytes:
    response = client.get(f"/print/cases/{case_id}/{kind}.pdf")
    assert response.status_code == 200
    return response.get_data()


def _version(pdf: bytes) -> int:
    return int(decoded_payloads(pdf, STANDARD_FAX)[0][0].rsplit(":", 1)[1])


def _sign(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiologist")
    assert (
        client.post(f"/reporting/{case_id}", data=_report("definitive", "d" * 20)).status_code
        == 302
    )


def test_report_printed_again_after_the_urgent_call_is_a_changed_sheet_not_a_copy(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id)
    first = _print(client, case_id, "report")
    assert client.post(f"/reporting/{case_id}/call", data=CALL).status_code == 302
    again = _print(client, case_id, "report")
    text = pdf_text(again)
    assert "Neurokirurg kontaktas" in text
    assert "KOPIA" not in text
    assert CHANGED in text and "sedan utskriften" in text
    assert _version(again) == _version(first) + 1


def test_exam_printed_after_an_edit_says_changed_since_the_first_print(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    first = _print(client, case_id, "exam")
    edit = exam_data(key_suffix="x", version="1", complications="Lätt illamående")
    assert client.post(f"/cases/{case_id}/exam", data=edit).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ExamRecord.version)) == 2
    again = pdf_text(_print(client, case_id, "exam"))
    assert "Lätt illamående" in again and CHANGED in again and "KOPIA" not in again
    assert CHANGED not in pdf_text(first)
    with app.app_context():
        first_at = db.session.scalar(select(func.min(PrintRecord.at)))
        assert f"sedan utskriften {fmt_time(first_at)}" in again


def test_a_copy_of_the_changed_sheet_still_says_changed(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id)
    _print(client, case_id, "report")
    assert (
        client.post(
            f"/reporting/{case_id}/addendum", data={"text": "Jämfört: oförändrat."}
        ).status_code
        == 302
    )
    changed = pdf_text(_print(client, case_id, "report"))
    copy = pdf_text(_print(client, case_id, "report"))
    assert CHANGED in changed and "KOPIA" not in changed
    assert CHANGED in copy and "KOPIA" in copy


def test_an_unchanged_copy_does_not_say_changed(client: FlaskClient, auth, case_id: int) -> None:
    _sign(client, auth, case_id)
    first = pdf_text(_print(client, case_id, "report"))
    copy = pdf_text(_print(client, case_id, "report"))
    assert CHANGED not in first and CHANGED not in copy
    assert "KOPIA" in copy


def test_an_unsigned_save_does_not_change_the_printed_report(
    client: FlaskClient, auth, case_id: int
) -> None:
    # The sheet prints the text as signed: an unsigned edit since leaves the paper as it was.
    auth.login("radiologist")
    assert (
        client.post(f"/reporting/{case_id}", data=_report("preliminary", "p" * 20)).status_code
        == 302
    )
    first = _print(client, case_id, "report")
    unsigned = {**_report("", "s" * 20), "sections-1-text": "Utkast: oklart fynd.", "version": "1"}
    unsigned.pop("action")
    assert client.post(f"/reporting/{case_id}", data=unsigned).status_code == 302
    copy = _print(client, case_id, "report")
    text = pdf_text(copy)
    assert "Utkast: oklart fynd." not in text
    assert "KOPIA" in text and CHANGED not in text
    assert _version(copy) == _version(first)
    signed = {**_report("definitive", "t" * 20), "version": "2"}
    assert client.post(f"/reporting/{case_id}", data=signed).status_code == 302
    definitive = pdf_text(_print(client, case_id, "report"))
    assert "KOPIA" not in definitive and CHANGED in definitive


def _edit_referral(client: FlaskClient, case_id: int, **changes: str) -> None:
    edit = referral_data(key_suffix="x", version="1", case_version="1", **changes)
    assert client.post(f"/cases/{case_id}/referral", data=edit).status_code == 302


def test_report_printed_again_after_the_reply_fax_was_corrected_says_changed(
    client: FlaskClient, auth, case_id: int
) -> None:
    # The report's fax header prints the referral's reply fax: a sheet with the corrected
    # number is not a copy of the one that went to the wrong fax.
    _sign(client, auth, case_id)
    first = _print(client, case_id, "report")
    _edit_referral(client, case_id, reply_fax="0999-555 55")
    again = pdf_text(_print(client, case_id, "report"))
    assert "0999-555 55" in again
    assert "KOPIA" not in again and CHANGED in again
    # What a scan compares stays the patient's and the report's: the old sheet is no stale one.
    assert _version(_print(client, case_id, "report")) == _version(first)


def test_report_printed_again_after_a_referral_edit_it_does_not_print_is_a_copy(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id)
    _print(client, case_id, "report")
    _edit_referral(client, case_id, history="Waran. Nu även huvudvärk.")
    again = pdf_text(_print(client, case_id, "report"))
    assert "KOPIA" in again and CHANGED not in again


def test_anonymised_report_printed_again_after_the_reply_fax_was_corrected_is_a_copy(
    client: FlaskClient, auth, case_id: int
) -> None:
    # Addressed to the RIS administrator, it prints no reply fax: nothing on it changed.
    _sign(client, auth, case_id)
    _print(client, case_id, "report-anon")
    _edit_referral(client, case_id, reply_fax="0999-555 55")
    again = pdf_text(_print(client, case_id, "report-anon"))
    assert "0999-555 55" not in again
    assert "KOPIA" in again and CHANGED not in again


@pytest.mark.parametrize("kind", ["referral", "exam", "referral-anon"])
def test_a_sheet_printed_again_after_the_case_was_cancelled_says_changed(
    client: FlaskClient, auth, case_id: int, kind: str
) -> None:
    # The first sheet does not say MAKULERAD: the one printed now is no copy of it.
    auth.login("radiographer")
    first = _print(client, case_id, kind)
    cancel = {"reason": "Fel patient", "confirm_ris_pacs": "y"}
    assert client.post(f"/cases/{case_id}/cancel", data=cancel).status_code == 302
    again = _print(client, case_id, kind)
    text = pdf_text(again)
    assert "MAKULERAD" in text and CHANGED in text and "KOPIA" not in text
    # A scan of the first sheet is no stale one: the patient and the record are the same.
    assert _version(again) == _version(first)
    copy = pdf_text(_print(client, case_id, kind))
    assert "MAKULERAD" in copy and "KOPIA" in copy
