"""A report's last signature is the one written last, whatever the laptop's clock said.

Signed again after the clock was set back, the new signature carries an earlier time than the
one it replaces: the text and signer that go out are still the new ones.
"""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Case
from webapp.printing.versions import _signed_version
from webapp.reporting.signed import has_unsigned_edit, signed_text, text_as_signed

from .clock_support import clock_set_back
from .export_support import downloaded
from .factories import report_data
from .routines_support import make_case

FIRST = "Ingen blödning."
SECOND = "Liten subduralblödning vänster."


def _signed_twice(client: FlaskClient, auth, case_id: int) -> None:
    """Signed preliminary, then signed again with other findings after the clock was set back."""
    auth.login("radiologist")
    response = client.post(
        f"/reporting/{case_id}", data=report_data("preliminary", "a" * 20, findings=FIRST)
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with clock_set_back():
        response = client.post(
            f"/reporting/{case_id}",
            data=report_data("preliminary", "b" * 20, findings=SECOND, version="1"),
        )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_the_text_signed_last_is_the_signed_text_though_the_clock_was_set_back(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _signed_twice(client, auth, case_id)
    with app.app_context():
        case = db.session.get(Case, case_id)
        signed = signed_text(db.session, case.report)
        assert signed is not None and SECOND in signed.text and signed.is_current
        assert text_as_signed(db.session, case.report) is None
        assert not has_unsigned_edit(db.session, case_id)


def test_the_report_sheet_is_versioned_by_the_signature_written_last(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _signed_twice(client, auth, case_id)
    with app.app_context():
        report = db.session.get(Case, case_id).report
        assert report.version == 2
        assert _signed_version(report.id, report.version) == 2


def test_the_batch_carries_the_text_signed_last_though_the_clock_was_set_back(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _signed_twice(client, auth, case_id)
    auth.logout()
    auth.login("secretary")
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
    data = downloaded(client, incident_id, "json").decode("utf-8")
    (case,) = json.loads(data)["cases"]
    assert SECOND in json.dumps(case["report"], ensure_ascii=False)
    assert FIRST not in json.dumps(case["report"], ensure_ascii=False)


def test_addenda_stand_in_the_order_written_though_the_clock_was_set_back(
    app: Flask, client: FlaskClient, auth
) -> None:
    """A later addendum may correct an earlier one: it must read as the later one."""
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    url = f"/reporting/{case_id}/addendum"
    assert client.post(url, data={"text": "Tillägg ett.", "form_key": "a" * 20}).status_code == 302
    with clock_set_back():
        response = client.post(url, data={"text": "Tillägg två.", "form_key": "b" * 20})
    assert response.status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert [a.text for a in case.report.addenda] == ["Tillägg ett.", "Tillägg två."]
        assert [s.kind for s in case.report.signatures][-1] == "addendum"
        incident_id = case.incident_id
    auth.logout()
    auth.login("secretary")
    (exported,) = json.loads(downloaded(client, incident_id, "json"))["cases"]
    assert [a["text"] for a in exported["report"]["addenda"]] == ["Tillägg ett.", "Tillägg två."]
