"""An addendum signed from a screen opened before a colleague's addendum: the radiologist has
not read it, and theirs may say the same or contradict it. Refused beside the text, which is
kept; signed again from the screen that shows the colleague's, it is added."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Addendum

from .factories import hidden_value
from .routines_support import make_case

SECOND = "test-radiologist-2"


def _addendum_fields(page: str) -> dict[str, str]:
    form = page[page.index('id="addendum"') :]
    return {
        "form_key": hidden_value(form, "form_key"),
        "addenda_shown": hidden_value(form, "addenda_shown"),
    }


def test_an_addendum_from_a_screen_older_than_a_colleagues_addendum_is_refused(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    mine = {"text": "Liten pleuravätska höger.", **_addendum_fields(screen)}
    auth.login("radiologist", username=SECOND)
    url = f"/reporting/{case_id}/addendum"
    assert client.post(url, data={"text": "Pneumothorax vänster."}).status_code == 302
    auth.login("radiologist")
    refused = client.post(url, data=mine)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    error = page[page.index('id="text-error"') :][:600]
    assert "sedan sidan öppnades" in error
    assert "Liten pleuravätska höger." in page and "Pneumothorax vänster." in page
    with app.app_context():
        assert db.session.scalars(select(Addendum.text)).all() == ["Pneumothorax vänster."]
    again = client.post(url, data={"text": mine["text"], **_addendum_fields(page)})
    assert again.status_code == 302, again.get_data(as_text=True)
    with app.app_context():
        texts = db.session.scalars(select(Addendum.text).order_by(Addendum.id)).all()
    assert texts == ["Pneumothorax vänster.", "Liten pleuravätska höger."]


def test_an_addendum_from_a_current_screen_is_signed_at_once(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    sent = {"text": "Oförändrat.", **_addendum_fields(screen)}
    assert client.post(f"/reporting/{case_id}/addendum", data=sent).status_code == 302
