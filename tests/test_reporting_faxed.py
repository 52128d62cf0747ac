"""A report faxed in and entered by a secretary in its author's name: required fields, a form
sent twice, and a radiologist's save over a faxed preliminary report."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Report, ReportSignature

from .reporting_support import _report, _state


def test_secretary_enters_faxed_report_attributed_to_its_author(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    response = client.post(
        f"/reporting/{case_id}/fax",
        data={
            "author_name": "Dr Extern Granskare",
            "received_at": "2026-01-15T11:10",
            "state": "preliminary",
            "findings": "Ingen blödning.",
            "conclusion": "Normalt.",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.received_by_fax and report.author_name == "Dr Extern Granskare"
        assert report.entered_by.username == "test-secretary"
        signature = db.session.scalar(select(ReportSignature))
        assert signature.user_id is None and "Dr Extern Granskare" in signature.signer_name
    assert _state(app) == ("preliminary", "report_preliminary")


def test_faxed_report_needs_author_and_conclusion(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("secretary")
    response = client.post(
        f"/reporting/{case_id}/fax",
        data={
            "author_name": "",
            "received_at": "2026-01-15T11:10",
            "state": "definitive",
            "findings": "Text som ska finnas kvar",
            "conclusion": "",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ange vem som skrev utlåtandet." in page
    assert "Text som ska finnas kvar" in page


def test_a_faxed_report_sent_twice_is_entered_once(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    key = re.search(r'name="form_key"[^>]*value="([^"]+)"', page)
    assert key is not None
    sent = {
        "form_key": key.group(1),
        "author_name": "Dr Extern Granskare",
        "received_at": "2026-01-15T11:10",
        "state": "definitive",
        "findings": "Ingen blödning.",
        "conclusion": "Normalt.",
    }
    first = client.post(f"/reporting/{case_id}/fax", data=sent)
    # A retry after the Wi-Fi dropped: the same answer, not "already has a definitive report".
    second = client.post(f"/reporting/{case_id}/fax", data=sent)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportSignature.id))) == 1


def test_a_save_over_a_faxed_preliminary_report_says_what_to_do_instead(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # Sent from an editor opened before the reviewer's preliminary report was entered: an
    # addendum, which the message used to suggest, goes only on a definitive report.
    auth.login("secretary")
    faxed = {
        "author_name": "Dr Extern Granskare",
        "received_at": "2026-01-15T11:10",
        "state": "preliminary",
        "conclusion": "Lungembolism.",
    }
    assert client.post(f"/reporting/{case_id}/fax", data=faxed).status_code == 302
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}", data=_report("definitive"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Det definitiva förs in när det kommer per fax" in page
    assert "skriv ett tillägg" not in page
    assert _state(app) == ("preliminary", "report_preliminary")
    refused = client.post(f"/reporting/{case_id}/addendum", data={"text": "Även pneumoni."})
    assert "Tillägg skrivs till ett definitivt signerat utlåtande." in refused.get_data(
        as_text=True
    )
