"""Autosaves of one form arriving at the same moment (real concurrent requests, both databases).

A tablet whose Wi-Fi comes back sends its queued autosaves at once, and a second tablet may
save the same form: the newest state stays, and a first save sent twice stores one draft.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, Draft, Site

from .row_held import sent_while_row_held

KEY = "draftrace-" + "x" * 16


def _put(client: FlaskClient, seq: int, name: str):
    return client.put(
        f"/api/drafts/{KEY}",
        json={"kind": "referral", "seq": seq, "label": name, "data": {"patient_name": name}},
    )


def _logged_in(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})


def test_an_older_autosave_waiting_behind_a_newer_one_does_not_overwrite_it(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    _logged_in(client, auth)
    assert _put(client, 1, "Första").get_json()["state"] == "created"
    other = tablet_factory("test-radiographer")
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id))
    newer, older = sent_while_row_held(
        app,
        "draft",
        draft_id,
        [lambda: _put(client, 6, "Ny"), lambda: _put(other, 5, "Gammal")],
    )
    assert newer.get_json()["state"] == "saved"
    assert older.get_json()["state"] == "stale"
    with app.app_context():
        draft = db.session.scalar(select(Draft))
        assert (draft.client_seq, draft.data["patient_name"]) == (6, "Ny")


def test_a_first_autosave_sent_twice_at_once_stores_one_draft(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    _logged_in(client, auth)
    other = tablet_factory("test-radiographer")
    with app.app_context():
        site_id = db.session.scalar(select(Site.id))
    # Held: a new draft refers to its site, so each insert waits after its look-up found none.
    first, second = sent_while_row_held(
        app,
        "site",
        site_id,
        [lambda: _put(client, 1, "Åsa"), lambda: _put(other, 2, "Åsa Öberg")],
    )
    assert [first.status_code, second.status_code] == [200, 200]
    assert first.get_json()["state"] == "created"
    assert second.get_json()["state"] == "saved"
    with app.app_context():
        assert db.session.scalar(select(func.count(Draft.id))) == 1
        draft = db.session.scalar(select(Draft))
        assert (draft.client_seq, draft.data["patient_name"]) == (2, "Åsa Öberg")


def test_a_draft_thrown_away_on_two_tablets_at_once_is_thrown_away_once(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    _logged_in(client, auth)
    _put(client, 1, "Åsa")
    other = tablet_factory("test-radiographer")
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id))
    url = f"/drafts/{draft_id}/discard"
    sent_while_row_held(app, "draft", draft_id, [lambda: client.post(url), lambda: other.post(url)])
    with app.app_context():
        discards = select(func.count(AuditEvent.id)).where(AuditEvent.action == "draft_discard")
        assert db.session.scalar(discards) == 1
