"""An outage whose scenario has RIS working (ris_works): a release of images made in it, of a
case booked in RIS, is written in the referral notes in RIS at once, as the routine says, so it
is not tracked and does not hold the incident's close. With RIS down it still is
(test_release_note_in_ris), and so is one of a case not yet booked in RIS
(test_release_note_not_booked)."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import ImageRelease

from .catchup_support import book, incident_ended
from .factories import case_code
from .routines_support import make_case
from .test_release_note_in_ris import TASK, _close, _reconciled, _release, _released

WRITE_NOW = "RIS fungerar: skriv in anteckningen i remissanteckningen i RIS nu."


def _booked_and_released(client: FlaskClient, auth, scenario: str) -> tuple[int, int, int]:
    """A definitively reported case of an open outage, booked in RIS by a secretary, its
    images released; (incident, case, release), the secretary logged in."""
    case_id = make_case(client, auth, report="definitive", scenario=scenario)
    auth.login("secretary")
    booked = book(client, case_id)
    assert booked.status_code == 302, booked.get_data(as_text=True)
    auth.logout()
    release_id = _release(client, auth, case_id)
    with client.application.app_context():
        release = db.session.get(ImageRelease, release_id)
        return release.incident_id, case_id, release_id


def _release_page(client: FlaskClient, release_id: int) -> str:
    return html.unescape(client.get(f"/routines/releases/{release_id}").get_data(as_text=True))


@pytest.mark.parametrize("scenario", ["pacs", "integration", "external_reviewer"])
def test_a_release_in_an_outage_with_ris_working_is_not_due_nor_holds_the_close(
    app: Flask, client: FlaskClient, auth, scenario: str
) -> None:
    incident_id, case_id, release_id = _booked_and_released(client, auth, scenario)
    with app.app_context():
        release = db.session.get(ImageRelease, release_id)
        assert release.incident_id == incident_id and not release.ris_note_due
    assert WRITE_NOW in _release_page(client, release_id)
    page = html.unescape(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True))
    section = page.split('id="release-notes"', 1)[1].split("</section>", 1)[0]
    assert f"/catchup/releases/{release_id}/ris-note" not in section
    assert "skrivs in i RIS direkt" in section
    batch = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    assert TASK not in batch
    _reconciled(client, auth, case_id)
    _close(client, auth, incident_id)
    assert incident_ended(app, incident_id)


def test_a_release_in_an_outage_with_ris_down_is_due_and_holds_the_close(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, release_id = _released(client, auth, "total")
    with app.app_context():
        assert db.session.get(ImageRelease, release_id).ris_note_due
    assert WRITE_NOW not in _release_page(client, release_id)
    _reconciled(client, auth, case_id)
    page = _close(client, auth, incident_id)
    assert not incident_ended(app, incident_id)
    assert case_code(app, case_id) in page.split('id="close-error"', 1)[1]


def test_a_scenario_changed_to_ris_working_makes_the_next_release_not_due(
    app: Flask, client: FlaskClient, auth
) -> None:
    """What counts is the scenario when the release is made, not the one declared."""
    incident_id, case_id, first = _released(client, auth, "om_ris")
    assert book(client, case_id).status_code == 302
    auth.logout()
    auth.login("radiographer")
    changed = client.post(f"/incidents/{incident_id}/scenario", data={"scenario": "pacs"})
    assert changed.status_code == 302, changed.get_data(as_text=True)
    later = _release(client, auth, case_id)
    with app.app_context():
        assert db.session.get(ImageRelease, first).ris_note_due
        assert not db.session.get(ImageRelease, later).ris_note_due


def _mark_restored(client: FlaskClient, auth, incident_id: int, restored: str = "1") -> None:
    auth.logout()
    auth.login("radiographer")
    marked = client.post(f"/incidents/{incident_id}/restored", data={"restored": restored})
    assert marked.status_code == 302


def test_a_release_after_the_systems_are_restored_is_written_in_ris_now(
    app: Flask, client: FlaskClient, auth
) -> None:
    """The outage is still open for catch-up, but RIS works again: the note of a case booked
    there goes there at once."""
    incident_id, case_id, first = _released(client, auth, "total")
    assert book(client, case_id).status_code == 302
    _mark_restored(client, auth, incident_id)
    later = _release(client, auth, case_id)
    with app.app_context():
        assert db.session.get(ImageRelease, first).ris_note_due
        release = db.session.get(ImageRelease, later)
        assert release.incident_id == incident_id and not release.ris_note_due
    assert WRITE_NOW in _release_page(client, later)


def test_a_release_after_the_restored_mark_is_undone_is_due_again(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, _first = _released(client, auth, "total")
    _mark_restored(client, auth, incident_id)
    _mark_restored(client, auth, incident_id, restored="0")
    later = _release(client, auth, case_id)
    with app.app_context():
        assert db.session.get(ImageRelease, later).ris_note_due
    assert WRITE_NOW not in _release_page(client, later)
