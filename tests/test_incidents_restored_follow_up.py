"""The follow-up belongs to the mark that the systems work again: undone, its ticks stay in the
log but no longer count, and the follow-up is made anew when the systems work again."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Incident

from .factories import audit_events, declare_incident

FOLLOW_UP = "TiB informerad om att systemen fungerar igen"
UNMADE = f"Uppföljning: {FOLLOW_UP} är inte gjord"


def _restore(client: FlaskClient, incident_id: int, restored: str = "1") -> None:
    response = client.post(f"/incidents/{incident_id}/restored", data={"restored": restored})
    assert response.status_code == 302


def _tick(client: FlaskClient, incident_id: int) -> str:
    return client.post(
        f"/incidents/{incident_id}/steps",
        data={"step_key": "tib_restored", "is_done": "1"},
        follow_redirects=True,
    ).get_data(as_text=True)


def _ticked_then_undone(client: FlaskClient, auth) -> int:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    _restore(client, incident_id)
    _tick(client, incident_id)
    _restore(client, incident_id, "0")
    return incident_id


def test_a_follow_up_ticked_before_an_undone_restore_is_made_anew(
    client: FlaskClient, auth
) -> None:
    incident_id = _ticked_then_undone(client, auth)
    _restore(client, incident_id)
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert 'aria-pressed="false" data-step="tib_restored"' in page
    # The tick stays in the log, before the undo that took it back.
    log = page.split('id="log"', 1)[1]
    assert log.index("Systemen fungerar igen – ångrat") < log.index(f"{FOLLOW_UP} – klart")


def test_the_close_and_the_reconciliation_page_ask_for_the_follow_up_again(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id = _ticked_then_undone(client, auth)
    _restore(client, incident_id)
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert UNMADE in batch
    page = client.post(
        f"/catchup/incidents/{incident_id}/close",
        data={"confirm_unnotified": "y"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert UNMADE in page
    with app.app_context():
        assert db.session.get(Incident, incident_id).is_open
    _tick(client, incident_id)
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert "Uppföljning:" not in batch


def test_the_undo_says_in_the_log_and_the_audit_which_follow_up_no_longer_counts(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id = _ticked_then_undone(client, auth)
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    log = page.split('id="log"', 1)[1]
    assert f"Uppföljningen räknas inte längre: {FOLLOW_UP}" in log
    (undo,) = audit_events(app, "incident_restored_undo")
    assert f"uppföljningen räknas inte längre: {FOLLOW_UP}" in undo.detail


def test_the_undo_of_a_restore_without_follow_up_ticked_names_none(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    _restore(client, incident_id)
    _restore(client, incident_id, "0")
    (undo,) = audit_events(app, "incident_restored_undo")
    assert "uppföljningen" not in undo.detail


def test_the_undo_confirmation_says_the_follow_up_is_made_anew(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    _restore(client, incident_id)
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "Uppföljningens avbockningar räknas inte längre" in page


def test_a_follow_up_tick_from_a_page_drawn_before_the_undo_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    _restore(client, incident_id)
    _restore(client, incident_id, "0")
    page = _tick(client, incident_id)
    assert "Systemen är inte markerade som fungerande igen" in page
    assert audit_events(app, "incident_step") == []
    # Nor does it count once they are marked working again.
    _restore(client, incident_id)
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert 'aria-pressed="false" data-step="tib_restored"' in page
