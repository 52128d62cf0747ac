"""The report printed for a release's recipient (ny svarsmottagare), only when it is included."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, ImageRelease, PrintRecord

from .factories import exam_data, referral_data
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .routines_support import make_case, report_form

BY_POST = {
    "recipient_kind": "other_region_hospital",
    "recipient_name": "Växjö lasarett",
    "channel": "media",
    "recipient_not_on_iep": "y",
    "media_kind": "cd",
    "delivery": "post",
}
WITH_PATIENT = {
    "recipient_kind": "other_region_hospital",
    "recipient_name": "Växjö lasarett",
    "is_urgent_care": "y",
    "channel": "media",
    "media_kind": "cd",
    "delivery": "with_patient",
}
ADDRESS = {
    "svar-recipient_name": "Röntgen Växjö lasarett",
    "svar-recipient_address": "Box 1\n351 85 Växjö",
}


def _release(app: Flask, client: FlaskClient, auth, report: str, data: dict[str, str]) -> int:
    case_id = make_case(client, auth, report=report)
    auth.login("secretary")
    response = client.post(f"/routines/releases/cases/{case_id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        return db.session.scalars(select(ImageRelease.id)).one()


def _prints(app: Flask) -> list[PrintRecord]:
    with app.app_context():
        return list(db.session.scalars(select(PrintRecord).order_by(PrintRecord.id)))


def test_release_with_the_report_prints_it_for_the_recipient(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, "definitive", BY_POST)
    page = client.get(f"/routines/releases/{release_id}").get_data(as_text=True)
    assert f'action="/routines/releases/{release_id}/report#report-print"' in page
    assert 'value="Växjö lasarett"' in page  # the release's recipient, filled in
    response = client.post(f"/routines/releases/{release_id}/report.pdf", data=ADDRESS)
    assert response.mimetype == "application/pdf"
    pdf = response.get_data()
    text = pdf_text(pdf)
    with app.app_context():
        code = db.session.get(ImageRelease, release_id).case.code
    for value in (
        "Röntgen Växjö lasarett",
        "Box 1",
        "351 85 Växjö",
        "Örjan Älvström",
        "19121212-1212",
        code,
        "Normalt fynd.",
        "Definitivt signerat",
    ):
        assert value in text
    pages = decoded_payloads(pdf, STANDARD_FAX)
    assert pages and all(
        p and re.fullmatch(rf"RR1:{code.replace('-', '')}:UTL:\d+", p[0]) for p in pages
    ), pages


def test_the_recipients_report_print_is_in_the_access_log_and_a_second_is_a_copy(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, "definitive", BY_POST)
    first = client.post(f"/routines/releases/{release_id}/report.pdf", data=ADDRESS).get_data()
    second = client.post(f"/routines/releases/{release_id}/report.pdf", data=ADDRESS).get_data()
    assert "KOPIA" not in pdf_text(first) and "KOPIA" in pdf_text(second)
    assert [(r.doc, r.is_reprint) for r in _prints(app)] == [
        (f"release-{release_id}", False),
        (f"release-{release_id}", True),
    ]
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "print")).all()
        assert [e.username for e in events] == ["test-secretary", "test-secretary"]
        assert events[0].case_id is not None


def test_the_faxed_report_printed_before_does_not_make_the_recipients_a_copy(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, "definitive", BY_POST)
    with app.app_context():
        case_id = db.session.get(ImageRelease, release_id).case_id
    client.get(f"/print/cases/{case_id}/report.pdf")
    pdf = client.post(f"/routines/releases/{release_id}/report.pdf", data=ADDRESS).get_data()
    assert "KOPIA" not in pdf_text(pdf)


def test_preliminary_report_going_with_the_patient_prints_as_preliminary(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, "preliminary", WITH_PATIENT)
    data = {"svar-recipient_name": "Växjö lasarett", "svar-recipient_address": ""}
    response = client.post(f"/routines/releases/{release_id}/report.pdf", data=data)
    assert response.mimetype == "application/pdf"
    assert "PRELIMINÄRT" in pdf_text(response.get_data())


def test_unsigned_report_is_not_offered_and_its_print_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, "", WITH_PATIENT)
    page = client.get(f"/routines/releases/{release_id}").get_data(as_text=True)
    assert "report.pdf" not in page
    response = client.post(f"/routines/releases/{release_id}/report.pdf", data=ADDRESS)
    assert response.status_code == 302
    assert response.mimetype != "application/pdf"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Utlämnandet omfattar inte utlåtandet" in page
    assert _prints(app) == []


def test_report_signed_after_an_images_only_release_is_still_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The release went without the report: a report signed since is not added to it.
    release_id = _release(app, client, auth, "", WITH_PATIENT)
    with app.app_context():
        case_id = db.session.get(ImageRelease, release_id).case_id
    auth.logout()
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=report_form("preliminary", "q" * 20))
    with app.app_context():
        assert db.session.get(ImageRelease, release_id).case.report.state == "preliminary"
    response = client.post(f"/routines/releases/{release_id}/report.pdf", data=ADDRESS)
    assert response.status_code == 302 and _prints(app) == []


def test_report_sent_by_post_needs_the_address_and_keeps_the_name(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, "definitive", BY_POST)
    data = {"svar-recipient_name": "Röntgen Växjö lasarett", "svar-recipient_address": "  "}
    response = client.post(f"/routines/releases/{release_id}/report.pdf", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ange adressen: svaret skickas med post." in page
    assert 'value="Röntgen Växjö lasarett"' in page
    assert _prints(app) == []


def test_unknown_release_is_404(client: FlaskClient, auth) -> None:
    auth.login("secretary")
    assert client.post("/routines/releases/999/report.pdf", data=ADDRESS).status_code == 404


def _case_id(app: Flask, release_id: int) -> int:
    with app.app_context():
        return db.session.get(ImageRelease, release_id).case_id


def _print(client: FlaskClient, release_id: int, data: dict[str, str] = ADDRESS) -> str:
    response = client.post(f"/routines/releases/{release_id}/report.pdf", data=data)
    assert response.mimetype == "application/pdf"
    return pdf_text(response.get_data())


def test_the_recipients_report_printed_again_after_the_exam_was_renamed_says_changed(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, "definitive", BY_POST)
    case_id = _case_id(app, release_id)
    first = _print(client, release_id)
    auth.logout()
    auth.login("radiographer")
    edit = exam_data(key_suffix="x", version="1", exam_text="DT hjärna med kontrast")
    assert client.post(f"/cases/{case_id}/exam", data=edit).status_code == 302
    again = _print(client, release_id)
    assert "DT hjärna utan kontrast" in first and "DT hjärna med kontrast" in again
    assert "KOPIA" not in again and "ÄNDRAD" in again
    copy = _print(client, release_id)
    assert "KOPIA" in copy and "ÄNDRAD" in copy


def test_the_report_printed_again_for_another_recipient_says_changed(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, "definitive", BY_POST)
    _print(client, release_id)
    other = {**ADDRESS, "svar-recipient_address": "Box 2\n351 85 Växjö"}
    again = _print(client, release_id, other)
    assert "Box 2" in again
    assert "KOPIA" not in again and "ÄNDRAD" in again


def test_the_recipients_report_is_a_copy_after_a_change_it_does_not_print(
    app: Flask, client: FlaskClient, auth
) -> None:
    # It has no fax header: the referral's corrected reply fax is not on it.
    release_id = _release(app, client, auth, "definitive", BY_POST)
    case_id = _case_id(app, release_id)
    _print(client, release_id)
    auth.logout()
    auth.login("radiographer")
    edit = referral_data(key_suffix="x", version="1", case_version="1", reply_fax="0999-555 55")
    assert client.post(f"/cases/{case_id}/referral", data=edit).status_code == 302
    with app.app_context():
        assert db.session.get(ImageRelease, release_id).case.referral.reply_fax == "0999-555 55"
    again = _print(client, release_id)
    assert "0999-555 55" not in again
    assert "KOPIA" in again and "ÄNDRAD" not in again
