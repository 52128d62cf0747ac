"""A draft keeps every character typed: a long text is never cut without a word."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Draft

from .factories import referral_data

KEY = "longtext-" + "x" * 16
# Past the submit limit of the longest fields (20 000 characters, a report's findings): the
# draft keeps it all, and the submit says beside the field what is too long.
LONG = "Lång anamnes. " * 2000 + "Slutet av texten."


def test_a_text_past_the_submit_limit_is_kept_whole_in_the_draft(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    assert len(LONG) > 20000
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": "referral",
            "seq": 1,
            "label": "Åsa Öberg",
            "data": {"patient_name": "Åsa Öberg", "history": LONG, "items": [LONG]},
        },
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    with app.app_context():
        data = db.session.scalar(select(Draft).where(Draft.form_key == KEY)).data
    assert data["history"] == LONG
    assert data["items"] == [LONG]
    assert client.get(f"/api/drafts/{KEY}").get_json()["data"]["history"].endswith("texten.")


def test_the_submit_says_beside_the_field_what_is_too_long_and_keeps_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The draft keeps what the form would refuse: the refusal stands at the field, in Swedish.
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    response = client.post("/cases/new", data=referral_data(history=LONG))
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert 'id="history-error"' in page
    assert page.index("Fältet får inte vara längre än", page.index('id="history"')) > 0
    assert "Slutet av texten." in page
