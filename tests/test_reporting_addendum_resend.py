"""An addendum form sent again with other text (back in the browser, then a new addendum)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Addendum

from .factories import hidden_value
from .routines_support import make_case

KEY = "addendum-" + "k" * 16


def test_an_addendum_sent_again_with_other_text_keeps_it_under_a_new_key(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    url = f"/reporting/{case_id}/addendum"
    assert client.post(url, data={"text": "Jämfört med tidigare: oförändrat.", "form_key": KEY})
    second = {"text": "Även liten pleuravätska höger.", "form_key": KEY}
    refused = client.post(url, data=second)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'id="text-error"' in page and "Även liten pleuravätska höger." in page
    fresh = hidden_value(page[page.index('id="addendum"') :], "form_key")
    assert fresh and fresh != KEY
    assert client.post(url, data={**second, "form_key": fresh}).status_code == 302
    with app.app_context():
        texts = db.session.scalars(select(Addendum.text).order_by(Addendum.id)).all()
    assert texts == ["Jämfört med tidigare: oförändrat.", "Även liten pleuravätska höger."]
