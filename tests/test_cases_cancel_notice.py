"""A cancelled case's referrer is told the exam will not be done: the notice printed for the
fax, and its faxing (or why none is needed) recorded, audited and kept when the cancel is undone."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import CancelNotice, PrintRecord

from .factories import audit_events, hidden_value, local_minute, referral_data
from .printforms.conftest import pdf_text

REASON = "Dubblett av fax, internt: fel i mottagningen"
MESSAGE = "Patienten har flyttats till Lillby och undersöks där."


def _new_case(client: FlaskClient, auth, role: str = "radiographer") -> str:
    auth.login(role)
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def _cancel(client: FlaskClient, url: str, reason: str = REASON, message: str = "") -> None:
    page = client.get(url).get_data(as_text=True)
    data = {"reason": reason, "message": message, "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/cancel", data=data).status_code == 302


def _notice_form(client: FlaskClient, url: str, **fields: str) -> dict[str, str]:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'<form[^>]*action="[^"]*/cancel-notice"[^>]*>(.*?)</form>', page, re.S)
    assert match is not None, "no notice form on the page"
    key = re.search(r'name="form_key" type="hidden" value="([^"]+)"', match.group(1))
    assert key is not None
    data = {
        "form_key": key.group(1),
        "kind": "faxed",
        "fax_number": "0999-123 46",
        "faxed_at": local_minute(),
        "note": "",
    }
    return data | fields


def _notices(app: Flask) -> list[CancelNotice]:
    with app.app_context():
        rows = db.session.scalars(select(CancelNotice).order_by(CancelNotice.id)).all()
        db.session.expunge_all()
        return list(rows)


def _notice_pdf(client: FlaskClient, url: str) -> str:
    response = client.get(url.replace("/cases/", "/print/cases/") + "/cancel-notice.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return pdf_text(response.get_data())


def test_the_notice_prints_the_message_to_the_referrer_and_not_the_internal_reason(
    client: FlaskClient, auth
) -> None:
    url = _new_case(client, auth)
    _cancel(client, url, message=MESSAGE)
    text = _notice_pdf(client, url)
    assert "UNDERSÖKNINGEN UTFÖRS INTE" in text
    assert MESSAGE in text and "fel i mottagningen" not in text
    for value in ("Akutmottagningen", "Dr Åberg", "0999-123 46", "Örjan Älvström"):
        assert value in text
    assert "19121212-1212" in text and "DT hjärna utan kontrast" in text
    assert "0999-100 00" in text  # the site's phone: whom to call


def test_a_cancel_without_a_message_prints_its_reason(client: FlaskClient, auth) -> None:
    url = _new_case(client, auth)
    _cancel(client, url, reason="Remittenten har återkallat remissen")
    assert "Remittenten har återkallat remissen" in _notice_pdf(client, url)


def test_a_live_case_has_no_notice_to_print(client: FlaskClient, auth) -> None:
    url = _new_case(client, auth)
    response = client.get(url.replace("/cases/", "/print/cases/") + "/cancel-notice.pdf")
    assert response.status_code == 404


def test_printing_the_notice_is_logged_as_a_print(app: Flask, client: FlaskClient, auth) -> None:
    url = _new_case(client, auth)
    _cancel(client, url)
    _notice_pdf(client, url)
    with app.app_context():
        docs = db.session.scalars(select(PrintRecord.doc)).all()
    assert docs == ["cancel-notice"]
    assert any("Besked till remittenten" in e.detail for e in audit_events(app, "print"))


def test_a_cancelled_case_page_offers_the_notice_until_it_is_recorded(
    app: Flask, client: FlaskClient, auth
) -> None:
    url = _new_case(client, auth)
    _cancel(client, url)
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "Meddela remittenten" in page and "cancel-notice.pdf" in page
    assert "Remittenten är inte meddelad" in page
    response = client.post(url + "/cancel-notice", data=_notice_form(client, url))
    assert response.status_code == 302
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "Remittenten är inte meddelad" not in page
    assert "Besked faxat till remittenten" in page and "0999-123 46" in page
    (notice,) = _notices(app)
    assert (notice.kind, notice.fax_number, notice.message) == ("faxed", "0999-123 46", REASON)
    (event,) = audit_events(app, "cancel_notice")
    assert "0999-123 46" in event.detail


def test_the_notice_recorded_twice_from_one_form_is_stored_once(
    app: Flask, client: FlaskClient, auth
) -> None:
    url = _new_case(client, auth)
    _cancel(client, url)
    data = _notice_form(client, url)
    assert client.post(url + "/cancel-notice", data=data).status_code == 302
    assert client.post(url + "/cancel-notice", data=data).status_code == 302
    assert len(_notices(app)) == 1
    assert len(audit_events(app, "cancel_notice")) == 1


def test_a_fax_number_is_needed_for_a_faxed_notice(app: Flask, client: FlaskClient, auth) -> None:
    url = _new_case(client, auth)
    _cancel(client, url)
    response = client.post(url + "/cancel-notice", data=_notice_form(client, url, fax_number=""))
    assert response.status_code == 400
    assert "Ange faxnumret" in html.unescape(response.get_data(as_text=True))
    assert _notices(app) == []


def test_a_notice_not_needed_says_why(app: Flask, client: FlaskClient, auth) -> None:
    url = _new_case(client, auth)
    _cancel(client, url)
    data = _notice_form(client, url, kind="not_needed", fax_number="", faxed_at="")
    response = client.post(url + "/cancel-notice", data=data)
    assert response.status_code == 400
    assert _notices(app) == []
    why = "Dubblett: remissen besvaras i ärendet K7M-2Q2"
    data = _notice_form(client, url, kind="not_needed", fax_number="", faxed_at="", note=why)
    assert client.post(url + "/cancel-notice", data=data).status_code == 302
    (notice,) = _notices(app)
    assert (notice.kind, notice.note, notice.faxed_at) == ("not_needed", why, None)
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "Remittenten är inte meddelad" not in page and why in page


def test_a_notice_for_a_case_no_longer_cancelled_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    url = _new_case(client, auth)
    _cancel(client, url)
    data = _notice_form(client, url)
    page = client.get(url).get_data(as_text=True)
    restore = {"reason": "Fel ärende makulerat", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/restore", data=restore).status_code == 302
    response = client.post(url + "/cancel-notice", data=data, follow_redirects=True)
    assert "Ärendet är inte makulerat" in html.unescape(response.get_data(as_text=True))
    assert _notices(app) == []


def test_a_restored_case_whose_referrer_was_told_says_call_them(
    app: Flask, client: FlaskClient, auth
) -> None:
    url = _new_case(client, auth)
    _cancel(client, url)
    assert client.post(url + "/cancel-notice", data=_notice_form(client, url)).status_code == 302
    page = client.get(url).get_data(as_text=True)
    restore = {"reason": "Fel ärende makulerat", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/restore", data=restore).status_code == 302
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "Remittenten har fått besked om att undersökningen inte utförs" in page
    assert "Ring remittenten" in page
    assert len(_notices(app)) == 1  # the record stays


def test_a_case_cancelled_again_after_an_undo_needs_a_notice_of_its_own(
    client: FlaskClient, auth
) -> None:
    url = _new_case(client, auth)
    _cancel(client, url)
    assert client.post(url + "/cancel-notice", data=_notice_form(client, url)).status_code == 302
    page = client.get(url).get_data(as_text=True)
    restore = {"reason": "Fel ärende makulerat", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/restore", data=restore).status_code == 302
    _cancel(client, url, reason="Patienten avled")
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "Remittenten är inte meddelad" in page


def test_the_admin_who_may_cancel_may_record_the_notice(client: FlaskClient, auth) -> None:
    url = _new_case(client, auth, role="admin")
    _cancel(client, url)
    assert client.post(url + "/cancel-notice", data=_notice_form(client, url)).status_code == 302
