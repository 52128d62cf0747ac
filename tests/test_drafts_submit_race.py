"""A form's first autosave and its submit at the same moment (real concurrent requests).

The submit always wins: the form's draft is finished with it, or an autosave that comes after
it is told the form is done. On PostgreSQL neither has a row to lock before the other commits;
the form key is held instead. SQLite runs the two one after the other.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Draft, Site

from .factories import referral_data, report_data
from .row_held import sent_while_row_held

KEY = "draftsubmit-" + "x" * 12


def _autosave(client: FlaskClient):
    return client.put(
        f"/api/drafts/{KEY}",
        json={"kind": "referral", "seq": 1, "label": "Örjan", "data": {"patient_name": "Örjan"}},
    )


def _submit(client: FlaskClient):
    return client.post("/cases/new", data=referral_data(form_key=KEY))


def _site_id(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(Site.id)))


def _unfinished_drafts(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(Draft.id)).where(Draft.is_done.is_(False))))


def test_a_first_autosave_stored_as_its_form_is_sent_is_finished_by_the_submit(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    other = tablet_factory("rsk-bo")
    # Held: a new draft and a new case refer to the site, so each waits after its reads.
    saved, sent = sent_while_row_held(
        app, "site", _site_id(app), [lambda: _autosave(other), lambda: _submit(client)]
    )
    assert saved.get_json()["state"] == "created"
    assert sent.status_code == 302
    case_id = int(sent.headers["Location"].rsplit("/", 1)[-1])
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.form_key == KEY))
        assert (draft.is_done, draft.case_id) == (True, case_id)
    assert "Örjan" not in client.get("/drafts").get_data(as_text=True)


def test_a_first_autosave_arriving_as_its_form_is_sent_is_told_the_form_is_done(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    other = tablet_factory("rsk-bo")
    sent, saved = sent_while_row_held(
        app, "site", _site_id(app), [lambda: _submit(client), lambda: _autosave(other)]
    )
    assert sent.status_code == 302
    assert saved.get_json()["state"] == "done"
    assert _unfinished_drafts(app) == 0


def test_a_report_autosave_arriving_as_the_report_is_signed_is_told_it_is_done(
    app: Flask, client: FlaskClient, auth, tablet_factory, case_id: int
) -> None:
    # The report's own path (not write_once): the case is locked, and the draft refers to it.
    auth.login("radiologist")
    other = tablet_factory("rad-bo", role="radiologist")
    draft = {"kind": "report", "case_id": case_id, "seq": 1, "label": "Utlåtande"}
    sent, saved = sent_while_row_held(
        app,
        "case",
        case_id,
        [
            lambda: client.post(f"/reporting/{case_id}", data=report_data(key=KEY)),
            lambda: other.put(f"/api/drafts/{KEY}", json={**draft, "data": {"x": "Normalt."}}),
        ],
    )
    assert sent.status_code == 302
    assert saved.get_json()["state"] == "done"
    assert _unfinished_drafts(app) == 0
