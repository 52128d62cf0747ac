"""An addendum signed from a screen drawn before the patient's identity was corrected.

The radiologist wrote the addendum beside the name the screen showed; signed after another
tablet corrected the identity, it would go to the referrer under a patient they never saw
named. Refused beside the text, which is kept, until the screen shows the patient now.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Addendum

from .factories import hidden_value, identity_data
from .routines_support import make_case

CORRECTED = "Patientens identitet har rättats sedan du öppnade sidan"
TEXT = "Liten fraktur i femte revbenet höger."
NAMES = ("form_key", "addenda_shown", "identity_revision")


def _addendum_fields(page: str) -> dict[str, str]:
    form = page[page.index('id="addendum"') :]
    return {name: hidden_value(form, name) for name in NAMES}


def _correct(radiographer: FlaskClient, case_id: int) -> None:
    data = identity_data(personal_number="19800101-0019", reason="Felskrivet personnummer")
    response = radiographer.post(f"/cases/{case_id}/identity", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def _texts(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Addendum.text)).all())


def test_an_addendum_from_a_screen_drawn_before_an_identity_correction_is_refused_and_kept(
    app: Flask, client: FlaskClient, auth: Any, tablet_factory: Callable[..., FlaskClient]
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    shown = _addendum_fields(client.get(f"/reporting/{case_id}").get_data(as_text=True))
    assert shown["identity_revision"] == "0"
    _correct(tablet_factory("rsk"), case_id)
    url = f"/reporting/{case_id}/addendum"
    refused = client.post(url, data={"text": TEXT, **shown})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409, page
    error = page[page.index('id="text-error"') :][:600]
    assert CORRECTED in error
    assert TEXT in page  # kept to sign again
    assert "800101-0019" in page  # the patient now, at the top
    assert _texts(app) == []
    # Signed again from the screen as drawn now (it names the patient now), it is added.
    again = _addendum_fields(page)
    assert again["identity_revision"] == "1"
    signed = client.post(url, data={"text": TEXT, **again})
    assert signed.status_code == 302, signed.get_data(as_text=True)
    assert _texts(app) == [TEXT]


def test_an_addendum_draft_typed_before_an_identity_correction_is_refused_when_continued(
    app: Flask, client: FlaskClient, auth: Any, tablet_factory: Callable[..., FlaskClient]
) -> None:
    # The autosave keeps the identity the text was typed beside; continued on another tablet
    # after the correction, it still stands on it until the radiologist has seen the patient.
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    shown = _addendum_fields(client.get(f"/reporting/{case_id}").get_data(as_text=True))
    key = shown["form_key"]
    data = {"text": TEXT, "is_urgent": "", **shown}
    saved = client.put(
        f"/api/drafts/{key}",
        json={"kind": "addendum", "seq": 1, "case_id": str(case_id), "data": data},
    )
    assert saved.status_code in (200, 201), saved.get_data(as_text=True)
    _correct(tablet_factory("rsk"), case_id)
    other = tablet_factory("rad2", role="radiologist")
    page = other.get(f"/reporting/{case_id}/addendum?draft={key}").get_data(as_text=True)
    resumed = _addendum_fields(page)
    assert TEXT in page
    assert resumed["identity_revision"] == "0"
    refused = other.post(f"/reporting/{case_id}/addendum", data={"text": TEXT, **resumed})
    assert refused.status_code == 409
    assert CORRECTED in refused.get_data(as_text=True)
    assert _texts(app) == []
