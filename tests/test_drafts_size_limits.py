"""A draft's only bound is the request's size: a list is kept whole, and a save too large for
the laptop is answered in a form the tablet's script reads."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Draft

KEY = "sizelimit-" + "x" * 16


def test_a_list_longer_than_fifty_items_is_kept_whole_in_the_draft(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    items = [f"Rad {n}" for n in range(1, 301)]
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={"kind": "referral", "seq": 1, "label": "Åsa Öberg", "data": {"items": items}},
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    with app.app_context():
        data = db.session.scalar(select(Draft).where(Draft.form_key == KEY)).data
    assert data["items"] == items


def test_a_draft_save_past_the_size_limit_is_answered_413_in_json(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    too_long = "å" * (app.config["MAX_CONTENT_LENGTH"] // 2 + 1000)
    refused = client.put(
        f"/api/drafts/{KEY}",
        json={"kind": "referral", "seq": 1, "label": "", "data": {"history": too_long}},
    )
    assert refused.status_code == 413
    assert refused.is_json, refused.get_data(as_text=True)[:200]
    assert refused.get_json() == {"error": "too_large"}
    with app.app_context():
        assert db.session.scalar(select(Draft).where(Draft.form_key == KEY)) is None
