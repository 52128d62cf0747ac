"""Reserving binder codes is stored once per form: a double tap on "Reservera koder" reserves
one batch, not a second one left unprinted among the unused codes."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReservedCode

from .factories import audit_events, hidden_value
from .twin_race import KEY, twin_committed_after_the_check


def _codes(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(ReservedCode.code).order_by(ReservedCode.id)))


def _batch(key: str, label: str = "Pärm akuten") -> dict[str, str]:
    return {"form_key": key, "doc_kind": "BLR", "count": "5", "batch_label": label}


def test_the_reserve_form_carries_a_one_time_key(client: FlaskClient, auth) -> None:
    auth.login("admin")
    first = hidden_value(client.get("/blanks/").get_data(as_text=True), "form_key")
    second = hidden_value(client.get("/blanks/").get_data(as_text=True), "form_key")
    assert len(first) >= 16 and first != second


def test_a_batch_reserved_twice_from_one_form_is_reserved_once(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    first = client.post("/blanks/reserve", data=_batch(KEY))
    second = client.post("/blanks/reserve", data=_batch(KEY), follow_redirects=True)
    assert first.status_code == 302
    assert len(_codes(app)) == 5
    # The second tap lands on the batch the first one reserved, with its print link.
    assert second.request.full_path == first.headers["Location"]
    page = html.unescape(second.get_data(as_text=True))
    assert "Koderna var redan reserverade – inga fler reserverades." in page
    assert f"/blanks/{_codes(app)[0]}/batch.pdf" in page
    assert len(audit_events(app, "blank_reserve")) == 1


def test_two_taps_at_the_same_moment_reserve_one_batch(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    client.post("/blanks/reserve", data=_batch(KEY))
    with twin_committed_after_the_check(app) as blinded:
        twin = client.post("/blanks/reserve", data=_batch(KEY))
    assert blinded
    assert twin.status_code == 302
    assert len(_codes(app)) == 5


def test_one_form_sent_again_with_other_content_is_refused_keeping_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    client.post("/blanks/reserve", data=_batch(KEY))
    response = client.post("/blanks/reserve", data=_batch(KEY, label="Pärm röntgen"))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "Formuläret har redan skickats med andra uppgifter, och de koderna är" in page
    assert 'value="Pärm röntgen"' in page
    assert hidden_value(page, "form_key") != KEY
    assert len(_codes(app)) == 5


def test_two_forms_reserve_two_batches(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("admin")
    for _ in range(2):
        key = hidden_value(client.get("/blanks/").get_data(as_text=True), "form_key")
        assert client.post("/blanks/reserve", data=_batch(key)).status_code == 302
    assert len(_codes(app)) == 10
