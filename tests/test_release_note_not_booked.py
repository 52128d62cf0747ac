"""RIS working (the scenario's ris_works, or the systems marked working again) does not put a
case of the outage in RIS: its referral came on paper, and RIS holds it only once the
secretary has booked it there (the integration routine: "När Biztalk åter fungerar bokas
undersökningarna in"). A release of its images made before that has no referral notes in RIS
to be written in: it is due, as with RIS down, until recorded. Booked first, it is written in
RIS at once (test_release_note_ris_up)."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import ImageRelease

from .catchup_support import book, incident_ended
from .factories import case_code
from .test_release_note_in_ris import _close, _reconciled, _release, _released
from .test_release_note_ris_up import WRITE_NOW, _mark_restored, _release_page


@pytest.mark.parametrize("scenario", ["integration", "pacs"])
def test_a_release_before_the_case_is_booked_in_ris_is_due_though_ris_works(
    app: Flask, client: FlaskClient, auth, scenario: str
) -> None:
    incident_id, case_id, release_id = _released(client, auth, scenario)
    with app.app_context():
        assert db.session.get(ImageRelease, release_id).ris_note_due
    assert WRITE_NOW not in _release_page(client, release_id)
    page = html.unescape(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True))
    assert f"/catchup/releases/{release_id}/ris-note" in page
    _reconciled(client, auth, case_id)
    closed = _close(client, auth, incident_id)
    assert not incident_ended(app, incident_id)
    assert case_code(app, case_id) in closed.split('id="close-error"', 1)[1]


def test_a_release_after_the_restore_before_the_case_is_booked_is_due(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, _first = _released(client, auth, "total")
    _mark_restored(client, auth, incident_id)
    later = _release(client, auth, case_id)
    with app.app_context():
        assert db.session.get(ImageRelease, later).ris_note_due


def test_a_release_after_the_case_is_booked_in_an_outage_with_ris_working_is_not_due(
    app: Flask, client: FlaskClient, auth
) -> None:
    _incident_id, case_id, first = _released(client, auth, "integration")
    booked = book(client, case_id)
    assert booked.status_code == 302, booked.get_data(as_text=True)
    later = _release(client, auth, case_id)
    with app.app_context():
        assert db.session.get(ImageRelease, first).ris_note_due
        assert not db.session.get(ImageRelease, later).ris_note_due
    assert WRITE_NOW in _release_page(client, later)


def test_a_booking_in_an_outage_with_ris_down_leaves_the_release_due(
    app: Flask, client: FlaskClient, auth
) -> None:
    _incident_id, case_id, _first = _released(client, auth, "total")
    assert book(client, case_id).status_code == 302
    later = _release(client, auth, case_id)
    with app.app_context():
        assert db.session.get(ImageRelease, later).ris_note_due
