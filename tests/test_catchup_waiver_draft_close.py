"""A waiver's reason typed and never sent is named at the close while its case is still to key,
but does not hold it once the case is reconciled (keyed and checked, or waived by someone else):
a waiver is then refused, so the draft could never be sent, and its "Öppna" led to a page
without the form."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.late_drafts import late_drafts

from .catchup_support import close_incident, incident_ended, reconcile_world
from .catchup_world_support import world as world  # the fixture

KEY = "waiverclose-" + "w" * 20
UNSENT = "formulär har börjat fyllas i men inte skickats"


def _typed_waiver(client: FlaskClient, case_id: int) -> None:
    """The logged-in secretary begins a waiver of the case (autosaved) and sends nothing."""
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": "waiver",
            "seq": 1,
            "case_id": str(case_id),
            "data": {"form_key": KEY, "reason": "Registrerad direkt i RIS"},
        },
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)


def test_a_waiver_begun_on_a_case_since_reconciled_does_not_hold_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # Begun on the case a colleague then keys and checks (reconcile_world).
    _typed_waiver(client, world["ids"][0])
    reconcile_world(client, auth, world)
    page = close_incident(client, auth, world["incident_id"])
    assert UNSENT not in page
    assert incident_ended(app, world["incident_id"])
    # Nor is it a form that came too late, to be keyed from the ended incident's batch.
    with app.test_request_context():
        assert late_drafts(1, world["incident_id"]) == []


def test_a_waiver_begun_on_a_case_since_waived_by_another_does_not_hold_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # The world's second case is waived by one secretary and confirmed by another.
    _typed_waiver(client, world["ids"][1])
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])


def test_a_cancel_begun_on_a_case_since_reconciled_still_holds_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    """Unlike a waiver, a cancel typed for a case since keyed may name a duplicate now in RIS:
    someone reads it before the end."""
    auth.logout()
    auth.login("radiographer")
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": "cancel",
            "seq": 1,
            "case_id": str(world["ids"][0]),
            "data": {"form_key": KEY, "reason": "Dubblett"},
        },
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    reconcile_world(client, auth, world)
    page = close_incident(client, auth, world["incident_id"])
    assert UNSENT in page and "Makulering" in page
    assert not incident_ended(app, world["incident_id"])


def test_a_waiver_begun_on_a_case_reopened_for_keying_is_named_at_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    second = world["ids"][1]
    _typed_waiver(client, second)
    reconcile_world(client, auth, world)
    # The waiver is lifted: the case is to be keyed again, and the reason typed may be sent.
    auth.login("secretary")
    assert client.post(f"/catchup/cases/{second}/waive/lift").status_code == 302
    auth.logout()
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert 'id="unsent-drafts"' in batch and "Undantag från efterregistrering" in batch
