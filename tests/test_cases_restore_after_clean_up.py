"""A case restored after its order was cleaned up in RIS: the accession saved for it names an
order RIS has cancelled, so the catch-up asks for a new booking rather than letting the old
number stand as if the exam were still booked."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Case, CatchupTick

from .catchup_support import accession_of
from .factories import audit_events, hidden_value
from .test_catchup_ris_pacs_clean_up import _cancelled, _record

AGAIN = "Ärendet städades upp i RIS/PACS efter makuleringen"


def _restore(client: FlaskClient, auth, url: str) -> None:  # type: ignore[no-untyped-def]
    auth.logout()
    auth.login("radiographer")
    page = client.get(url).get_data(as_text=True)
    data = {"reason": "Fel ärende makulerat", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/restore", data=data).status_code == 302
    auth.logout()
    auth.login("secretary")


def test_a_restore_after_the_clean_up_asks_for_a_new_booking(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, url = _cancelled(client, auth)
    assert _record(client, incident_id, case_id).status_code == 302
    _restore(client, auth, url)
    with app.app_context():
        record = db.session.get(Case, case_id).catchup
        assert record.ris_accession == ""
        # Before it: the booking made with the accession and undone for the cancel.
        *_, tick = db.session.query(CatchupTick).filter_by(case_id=case_id).order_by(CatchupTick.id)
        assert (tick.step, tick.is_done) == ("booked", False)
        assert AGAIN in tick.note and accession_of(case_id) in tick.note
    page = html.unescape(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True))
    assert AGAIN in page
    (reopened,) = audit_events(app, "catchup_reopen")
    assert accession_of(case_id) in reopened.detail


def test_a_restore_before_any_clean_up_keeps_the_accession(
    app: Flask, client: FlaskClient, auth
) -> None:
    _incident_id, case_id, url = _cancelled(client, auth)
    with app.app_context():
        ticks = db.session.query(CatchupTick).filter_by(case_id=case_id).count()
    _restore(client, auth, url)
    with app.app_context():
        assert db.session.get(Case, case_id).catchup.ris_accession == accession_of(case_id)
        assert db.session.query(CatchupTick).filter_by(case_id=case_id).count() == ticks
    assert audit_events(app, "catchup_reopen") == []
