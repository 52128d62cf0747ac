"""An incident ends only when nothing is outstanding: no case, no RIS booking, no unsent form."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Incident

from .factories import referral_data
from .test_catchup import _status, _tick_all
from .test_catchup import world as world  # the fixture


def _new_case(client: FlaskClient, auth, **overrides: object) -> int:
    auth.logout()
    auth.login("radiographer")
    location = client.post("/cases/new", data=referral_data(**overrides)).headers["Location"]
    auth.logout()
    return int(location.rsplit("/", 1)[-1])


def _reconcile_world(client: FlaskClient, auth, world) -> None:
    """The fixture's two cases: the first keyed and checked, the second waived."""
    first, second = world["ids"]
    auth.logout()
    auth.login("secretary")
    _tick_all(client, first)
    client.post(f"/catchup/cases/{second}/waive", data={"reason": "Remitterad vidare"})
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{first}/verify")
    auth.logout()


def _close(client: FlaskClient, auth, incident_id: int) -> str:
    auth.logout()
    auth.login("admin")
    response = client.post(f"/catchup/incidents/{incident_id}/close", follow_redirects=True)
    return response.get_data(as_text=True)


def _ended(app: Flask, incident_id: int) -> bool:
    with app.app_context():
        return db.session.get(Incident, incident_id).ended_at is not None


def test_a_case_already_booked_in_ris_is_not_cancelled_here(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = _new_case(client, auth, key_suffix="c", patient_name="Tora Tresson")
    auth.login("secretary")
    client.post(f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "1"})
    auth.logout()
    auth.login("radiographer")
    page = client.post(
        f"/cases/{case_id}/cancel", data={"reason": "Fel patient"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "redan bokat i RIS" in page
    assert _status(app, case_id) == "referral_received"
    # Once the booking is undone in RIS and the step unticked, the case can be cancelled.
    auth.logout()
    auth.login("secretary")
    client.post(f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "0"})
    auth.logout()
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/cancel", data={"reason": "Fel patient"})
    assert _status(app, case_id) == "cancelled"
    _reconcile_world(client, auth, world)
    _close(client, auth, world["incident_id"])
    assert _ended(app, world["incident_id"])
