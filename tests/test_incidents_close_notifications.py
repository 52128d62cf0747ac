"""The notifications made as the outage began (IT called, TiB told) are asked about at the close.

A real incident closed with "IT-support kontaktad" and "TiB informerad" still unticked, and
nothing said so: the record of the outage then reads as if nobody was told. The admin ticks
them on the incident's page, or confirms at the close that they were made without a tick (or
were not needed); the audit row names those confirmed so.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Incident

from .catchup_support import with_page_lists
from .factories import audit_events, declare_incident, hidden_value

IT = "IT-support kontaktad"
TIB = "TiB informerad (informerar avdelningarna)"


def _declared_and_restored(client: FlaskClient, auth) -> int:  # type: ignore[no-untyped-def]
    auth.login("radiographer")
    incident_id = declare_incident(client, "pacs")
    client.post(f"/incidents/{incident_id}/restored", data={"restored": "1"})
    client.post(
        f"/incidents/{incident_id}/steps", data={"step_key": "tib_restored", "is_done": "1"}
    )
    auth.logout()
    return incident_id


def _tick(client: FlaskClient, incident_id: int, key: str) -> None:
    response = client.post(
        f"/incidents/{incident_id}/steps", data={"step_key": key, "is_done": "1"}
    )
    assert response.status_code == 302


def _close(client: FlaskClient, incident_id: int, **confirm: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/catchup/incidents/{incident_id}/close",
        data=with_page_lists(client, incident_id, confirm),
    )


def _open(app: Flask, incident_id: int) -> bool:
    with app.app_context():
        return db.session.get(Incident, incident_id).is_open


def test_unticked_notifications_hold_the_close_until_confirmed_beside_the_box(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id = _declared_and_restored(client, auth)
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert "Underrättelser som inte är avbockade:" in batch
    assert IT in batch and TIB in batch
    assert 'name="confirm_unnotified"' in batch
    refused = _close(client, incident_id)
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    message = page.split('id="confirm_unnotified-error"', 1)[1].split("</p>", 1)[0]
    assert IT in message and TIB in message
    assert _open(app, incident_id)
    _tick(client, incident_id, "it_called")
    page = _close(client, incident_id).get_data(as_text=True)
    message = page.split('id="confirm_unnotified-error"', 1)[1].split("</p>", 1)[0]
    assert TIB in message and IT not in message
    assert _open(app, incident_id)
    assert _close(client, incident_id, confirm_unnotified="y").status_code == 302
    assert not _open(app, incident_id)
    (ended,) = audit_events(app, "incident_end")
    assert f"underrättelser ej avbockade: {TIB}" in ended.detail


def test_an_incident_whose_notifications_were_ticked_closes_without_the_question(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id = _declared_and_restored(client, auth)
    auth.login("admin")
    _tick(client, incident_id, "it_called")
    _tick(client, incident_id, "tib_informed")
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert 'name="confirm_unnotified"' not in batch
    assert _close(client, incident_id).status_code == 302
    assert not _open(app, incident_id)
    (ended,) = audit_events(app, "incident_end")
    assert "underrättelser" not in ended.detail


def test_a_notification_ticked_then_undone_is_asked_about_again(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id = _declared_and_restored(client, auth)
    auth.login("admin")
    _tick(client, incident_id, "it_called")
    _tick(client, incident_id, "tib_informed")
    client.post(
        f"/incidents/{incident_id}/steps", data={"step_key": "tib_informed", "is_done": "0"}
    )
    page = _close(client, incident_id).get_data(as_text=True)
    assert TIB in page.split('id="confirm_unnotified-error"', 1)[1].split("</p>", 1)[0]
    assert _open(app, incident_id)


def test_a_notification_undone_after_the_page_was_drawn_is_refused_and_named(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id = _declared_and_restored(client, auth)
    auth.login("admin")
    _tick(client, incident_id, "tib_informed")
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    shown = hidden_value(batch, "unnotified_shown")
    assert shown == "it_called"
    # Undone on another tablet while the admin read the page: the tick did not see it.
    client.post(
        f"/incidents/{incident_id}/steps", data={"step_key": "tib_informed", "is_done": "0"}
    )
    refused = _close(client, incident_id, confirm_unnotified="y", unnotified_shown=shown)
    assert refused.status_code == 409 and _open(app, incident_id)
    page = refused.get_data(as_text=True)
    message = page.split('id="confirm_unnotified-error"', 1)[1].split("</p>", 1)[0]
    assert TIB in message and IT not in message
    # One listed and ticked since does not hold the close.
    _tick(client, incident_id, "it_called")
    _tick(client, incident_id, "tib_informed")
    client.post(f"/incidents/{incident_id}/steps", data={"step_key": "it_called", "is_done": "0"})
    listed = "it_called tib_informed"
    ended = _close(client, incident_id, confirm_unnotified="y", unnotified_shown=listed)
    assert ended.status_code == 302 and not _open(app, incident_id)
