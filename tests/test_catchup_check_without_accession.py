"""A case keyed on a 'booked' tick from before the accession rule, with no accession: the
second secretary's check is refused, and without four eyes the last tick does not reconcile it.
Once the accession is added, the check closes it. The batch says what the open tasks are."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.catchup.verifying import CHECK_WITHOUT_ACCESSION
from webapp.extensions import db
from webapp.models import CATCHUP_STEPS, AuditEvent, Case, CatchupTick, Site, User
from webapp.sites import save_site_config

from .catchup_support import save_accession
from .catchup_world_support import world as world  # the fixture
from .test_catchup_booked_without_accession import (
    _legacy_booking,
    _reconciled_without_accession,
    _section,
)

VERIFY = "Jag har kontrollerat RIS mot papperet"


def _key_the_rest(client: FlaskClient, case_id: int) -> None:
    """The logged-in secretary ticks every step after 'booked' done.

    What RIS does on the booking needs its accession now (step_rules): a case booked without
    one before that rule had the steps on it ticked then too, so they are written as they were.
    """
    with client.application.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "test-secretary"))
        for step in CATCHUP_STEPS[1:-1]:
            db.session.add(CatchupTick(case_id=case_id, step=step, is_done=True, user_id=user_id))
        db.session.commit()
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": CATCHUP_STEPS[-1], "is_done": "1"}
    )
    assert response.status_code == 302


def _state(app: Flask, case_id: int) -> tuple[str, bool, bool, int]:
    """(status, keyed, checked or reconciled, checks logged) of the case."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        record = case.catchup
        checks = db.session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.case_id == case_id, AuditEvent.action == "catchup_verify"
            )
        )
        settled = record.verified_at is not None or record.reconciled_at is not None
        return case.status, record.keyed_at is not None, settled, int(checks or 0)


def _four_eyes_off(app: Flask) -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        save_site_config(
            site.id, site.config_toml.replace("four_eyes = true", "four_eyes = false"), None
        )


def _check(client: FlaskClient, case_id: int) -> str:
    page = client.post(f"/catchup/cases/{case_id}/verify", follow_redirects=True)
    return page.get_data(as_text=True)


def test_the_check_of_a_case_booked_without_an_accession_is_refused(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    _legacy_booking(app, case_id)
    _key_the_rest(client, case_id)
    assert _state(app, case_id) == ("keyed_in_ris", True, False, 0)
    auth.logout()
    auth.login("secretary", username="sek2")
    page = _check(client, case_id)
    # Told on the case's page, where the check is still offered; nothing written.
    assert CHECK_WITHOUT_ACCESSION in page
    assert VERIFY in _section(page, 'id="steps"', "</section>")
    assert _state(app, case_id) == ("keyed_in_ris", True, False, 0)
    # The one who keyed the case adds the accession; the colleague checks it.
    auth.logout()
    auth.login("secretary")
    save_accession(client, case_id)
    auth.logout()
    auth.login("secretary", username="sek2")
    assert "Kontrollen är registrerad." in _check(client, case_id)
    assert _state(app, case_id) == ("closed", True, True, 1)


def test_without_four_eyes_the_last_tick_leaves_a_case_booked_without_an_accession_open(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    _four_eyes_off(app)
    _legacy_booking(app, case_id)
    _key_the_rest(client, case_id)
    assert _state(app, case_id) == ("keyed_in_ris", True, False, 0)
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert VERIFY in page
    assert CHECK_WITHOUT_ACCESSION in _check(client, case_id)
    assert _state(app, case_id) == ("keyed_in_ris", True, False, 0)
    # With the accession the one secretary's check closes it.
    save_accession(client, case_id)
    _check(client, case_id)
    assert _state(app, case_id) == ("closed", True, True, 1)


def test_the_close_section_names_every_kind_of_open_task(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    _reconciled_without_accession(app, client, auth, world)
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    closing = " ".join(_section(batch, "Avsluta driftstoppet</h2>", "</section>").split())
    # The task here is a booking with no accession: the sentence must name it, and the rest.
    said = _section(closing, '<a href="#open-tasks">', "</a>")
    for kind in (
        "akuta fynd ska vara ringda till remittenten",  # urgent_call
        "ändrats efter signeringen signerade igen",  # unsigned_report
        "bokningar i RIS kompletterade med accessionsnummer",  # no_accession
        "extern granskare faxade till remittenten",  # reviewer_forward
        "hanterade av RIS-administratören",  # reviewer_fax
    ):
        assert kind in said
