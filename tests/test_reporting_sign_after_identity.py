"""A report signed from a screen drawn before the patient's identity was corrected.

The radiologist read and wrote under the patient the screen named; a signature sent after
another tablet corrected the identity would put their name under a report for a patient they
never saw named. It is refused, everything typed kept, until the screen shows the patient now.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, Report

from .factories import hidden_value, identity_data, report_data

CORRECTED = "Patientens identitet har rättats sedan du öppnade sidan"


def _screen(radiologist: FlaskClient, case_id: int) -> dict[str, str]:
    page = radiologist.get(f"/reporting/{case_id}").get_data(as_text=True)
    return {name: hidden_value(page, name) for name in ("form_key", "identity_revision")}


def _correct(radiographer: FlaskClient, case_id: int) -> None:
    data = identity_data(personal_number="19800101-0019", reason="Felskrivet personnummer")
    response = radiographer.post(f"/cases/{case_id}/identity", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_signature_from_a_screen_drawn_before_an_identity_correction_is_refused(
    app: Flask, case_id: int, tablet_factory: Callable[..., FlaskClient]
) -> None:
    radiologist = tablet_factory("rad", role="radiologist")
    radiographer = tablet_factory("rsk")
    shown = _screen(radiologist, case_id)
    _correct(radiographer, case_id)
    sent = report_data("definitive", shown["form_key"], findings="Fynd skrivet före rättelsen.")
    response = radiologist.post(f"/reporting/{case_id}", data=sent | shown)
    page = response.get_data(as_text=True)
    assert response.status_code == 409, page
    assert CORRECTED in page
    assert "Fynd skrivet före rättelsen." in page  # kept to sign again
    assert "19800101-0019" in page or "800101-0019" in page  # the patient now, at the top
    with app.app_context():
        assert db.session.scalar(select(Report.id)) is None
    # Drawn again, the screen stands on the corrected identity and signs.
    again = _screen(radiologist, case_id)
    assert again["identity_revision"] == "1"
    resent = report_data("definitive", again["form_key"]) | again
    assert radiologist.post(f"/reporting/{case_id}", data=resent).status_code == 302
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report is not None and report.state == "definitive"
        assert db.session.scalar(select(Case.identity_revision)) == 1


def test_a_draft_saved_from_a_screen_drawn_before_an_identity_correction_is_refused_too(
    app: Flask, case_id: int, tablet_factory: Callable[..., FlaskClient]
) -> None:
    # The saved text goes out under the signature later: it too was written for the other name.
    radiologist = tablet_factory("rad", role="radiologist")
    radiographer = tablet_factory("rsk")
    shown = _screen(radiologist, case_id)
    _correct(radiographer, case_id)
    sent = report_data("save", shown["form_key"], findings="Sparad text.")
    response = radiologist.post(f"/reporting/{case_id}", data=sent | shown)
    assert response.status_code == 409
    assert CORRECTED in response.get_data(as_text=True)


def test_a_draft_typed_before_an_identity_correction_and_continued_after_is_refused_once(
    app: Flask, case_id: int, tablet_factory: Callable[..., FlaskClient]
) -> None:
    # The autosave keeps the identity the text was typed beside; continued on another tablet
    # after the correction, the screen still stands on it until the radiologist has seen it.
    radiologist = tablet_factory("rad", role="radiologist")
    radiographer = tablet_factory("rsk")
    shown = _screen(radiologist, case_id)
    typed = report_data("save", shown["form_key"], findings="Utkast före rättelsen.") | shown
    data = {k: v for k, v in typed.items() if k not in ("form_key", "action")}
    saved = radiologist.put(
        f"/api/drafts/{shown['form_key']}",
        json={"kind": "report", "seq": 1, "case_id": str(case_id), "data": data},
    )
    assert saved.status_code in (200, 201), saved.get_data(as_text=True)
    _correct(radiographer, case_id)
    other = tablet_factory("rad2", role="radiologist")
    page = other.get(f"/reporting/{case_id}?draft={shown['form_key']}").get_data(as_text=True)
    assert "Utkast före rättelsen." in page
    assert hidden_value(page, "identity_revision") == "0"
    sent = report_data(
        "definitive", hidden_value(page, "form_key"), findings="Utkast före rättelsen."
    ) | {"identity_revision": "0"}
    response = other.post(f"/reporting/{case_id}", data=sent)
    assert response.status_code == 409
    assert CORRECTED in response.get_data(as_text=True)
