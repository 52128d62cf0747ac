"""A draft holding half of a character pair (an emoji cut in two) is stored and read back."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Draft

KEY = "halfemoji-" + "h" * 16
# The tablet cuts a label at 190 UTF-16 units: an emoji astride the cut leaves its first half,
# which JSON carries as a lone surrogate.
HALF = "\ud83d"


def _put(client: FlaskClient, label: str, data: dict[str, str]):
    return client.put(
        f"/api/drafts/{KEY}", json={"kind": "referral", "seq": 1, "label": label, "data": data}
    )


def test_a_label_cut_inside_an_emoji_is_saved(app: Flask, client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    saved = _put(client, "Åsa Öberg · Knä höger " + HALF, {"patient_name": "Åsa Öberg"})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert saved.get_json()["state"] == "created"
    assert "Knä höger" in client.get("/drafts").get_data(as_text=True)


def test_a_draft_whose_text_holds_half_an_emoji_can_be_read(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    assert _put(client, "Åsa", {"clinical_question": "Smärta " + HALF}).status_code == 200
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id))
    page = client.get(f"/drafts/{draft_id}")
    assert page.status_code == 200
    assert "Smärta" in page.get_data(as_text=True)
    stored = client.get(f"/api/drafts/{KEY}").get_json()["data"]["clinical_question"]
    assert stored == "Smärta \ufffd"
