"""Server-side drafts: saved within seconds, never overwritten by older state, listed."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Draft

from .factories import referral_data

KEY = "draftkey-" + "x" * 16


@pytest.fixture
def logged_in(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})


def _put(client: FlaskClient, seq: int, name: str, key: str = KEY):
    return client.put(
        f"/api/drafts/{key}",
        json={
            "kind": "referral",
            "seq": seq,
            "label": name,
            "data": {"patient_name": name, "personal_number": "19121212-1212", "csrf_token": "x"},
        },
    )


def test_draft_is_saved_and_can_be_resumed_on_another_tablet(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    assert _put(client, 1, "Åsa Öberg").get_json()["state"] == "created"
    other_tablet = app.test_client()
    other_tablet.post("/login", data={"username": "test-radiographer", "secret": "482915"})
    page = other_tablet.get(f"/cases/new?draft={KEY}").get_data(as_text=True)
    assert 'value="Åsa Öberg"' in page
    assert f'value="{KEY}"' in page
    assert "Åsa Öberg" in other_tablet.get("/drafts").get_data(as_text=True)


def test_older_sequence_never_overwrites(app: Flask, client: FlaskClient, logged_in) -> None:
    _put(client, 5, "Ny")
    assert _put(client, 3, "Gammal").get_json()["state"] == "stale"
    with app.app_context():
        assert db.session.scalar(select(Draft)).data["patient_name"] == "Ny"


def test_csrf_token_is_not_stored(app: Flask, client: FlaskClient, logged_in) -> None:
    _put(client, 1, "A")
    with app.app_context():
        assert "csrf_token" not in db.session.scalar(select(Draft)).data


def test_submitting_the_form_finishes_its_draft(app: Flask, client: FlaskClient, logged_in) -> None:
    _put(client, 1, "Örjan")
    client.post("/cases/new", data=referral_data(form_key=KEY))
    with app.app_context():
        assert db.session.scalar(select(Draft)).is_done
    assert _put(client, 2, "sent late").get_json()["state"] == "done"
    assert "Örjan" not in client.get("/drafts").get_data(as_text=True)


def test_unknown_draft_key_keeps_the_key_for_offline_data(client: FlaskClient, logged_in) -> None:
    key = "offline-" + "y" * 20
    page = client.get(f"/cases/new?draft={key}").get_data(as_text=True)
    assert f'value="{key}"' in page


@pytest.mark.parametrize(
    "body", [None, [], {"kind": "nonsense", "data": {}}, {"kind": "referral", "data": "x"}]
)
def test_malformed_draft_is_refused(client: FlaskClient, logged_in, body) -> None:
    response = client.put(f"/api/drafts/{KEY}", json=body)
    assert response.status_code == 400


def test_draft_api_requires_login(client: FlaskClient) -> None:
    assert client.put(f"/api/drafts/{KEY}", json={}).status_code == 401


def test_discarded_draft_leaves_the_list(client: FlaskClient, app: Flask, logged_in) -> None:
    _put(client, 1, "Kasta mig")
    with app.app_context():
        draft_id = db.session.scalar(select(Draft)).id
    client.post(f"/drafts/{draft_id}/discard")
    assert "Kasta mig" not in client.get("/drafts").get_data(as_text=True)
