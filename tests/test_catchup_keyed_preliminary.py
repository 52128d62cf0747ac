"""A preliminary report keyed into RIS: the case is reconciled on it, and a later signature (a
preliminary signed again, the definitive one) puts it back on the worklist and holds the close
until the new version is keyed.

Keying the preliminary is a confirmed choice ("lägg in som preliminärt"): RIS then holds what
was signed, and the radiologist signs the definitive one in RIS from the correction list. Only
a signature made here afterwards leaves RIS behind, and that reopens the case (reopening.py).
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.incidents.closing import outstanding_count

from .catchup_support import close_incident, fax_to_referrer, incident_ended, tick_all
from .catchup_world_support import STEPS, _close_case, _done_steps, _shown, _status
from .catchup_world_support import world as world  # the fixture
from .factories import report_data


def _both_reconciled(client: FlaskClient, auth, app: Flask, world) -> None:
    """The definitive case and the preliminary one keyed and checked, both faxed."""
    first, second = world["ids"]
    _close_case(client, auth, app, first)
    auth.logout()
    auth.login("secretary")
    _close_case(client, auth, app, second, confirm_preliminary="y")
    for case_id in (first, second):
        fax_to_referrer(client, case_id)
    auth.logout()


def _sign(client: FlaskClient, auth, app: Flask, case_id: int, action: str, key: str) -> None:
    auth.logout()
    auth.login("radiologist")
    signed = report_data(action, key * 20) | _shown(app, case_id, "report")
    signed["sections-1-text"] = "Subduralt hematom höger, 8 mm."
    assert client.post(f"/reporting/{case_id}", data=signed).status_code == 302
    auth.logout()


def test_a_case_keyed_with_its_preliminary_report_is_reconciled_and_does_not_hold_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    _both_reconciled(client, auth, app, world)
    assert _status(app, world["ids"][1]) == "closed"
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])


def test_a_definitive_report_after_a_keyed_preliminary_holds_the_close_until_keyed(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    second = world["ids"][1]
    _both_reconciled(client, auth, app, world)
    _sign(client, auth, app, second, "definitive", "z")
    page = close_incident(client, auth, world["incident_id"])
    assert not incident_ended(app, world["incident_id"])
    assert "1 ärende är inte avstämt" in page
    # Keyed again as the definitive report (no preliminary confirmation asked) and checked.
    auth.logout()
    auth.login("secretary")
    tick_all(client, second)
    assert _done_steps(client, second) == set(STEPS)
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{second}/verify")
    assert _status(app, second) == "closed"
    fax_to_referrer(client, second)
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])


def test_a_preliminary_report_signed_again_after_keying_puts_the_case_back(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    second = world["ids"][1]
    _both_reconciled(client, auth, app, world)
    _sign(client, auth, app, second, "preliminary", "y")
    assert _status(app, second) == "report_preliminary"
    with app.app_context():
        assert outstanding_count(world["incident_id"]) == 1
    auth.login("secretary")
    assert _done_steps(client, second) == {"booked", "exam_completed", "images_matched"}
    page = client.get(f"/catchup/cases/{second}").get_data(as_text=True)
    assert "signerades preliminärt efter att det lagts in i RIS" in page
