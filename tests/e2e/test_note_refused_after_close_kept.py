"""A note sent from a page drawn before the close: refused by the log, kept on the laptop once,
and the page says where it is, as the autosave's status does."""

from __future__ import annotations

import time

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import check_accessibility, login
from .seed import seed_case

NOTE = "IT säger att RIS är uppe 14:00"


def _incident_id(app: Flask) -> int:
    from webapp.extensions import db
    from webapp.models import Incident

    with app.app_context():
        return db.session.query(Incident).one().id


def _end_incident(app: Flask) -> None:
    from webapp.extensions import db
    from webapp.models import Incident, User, utcnow

    with app.app_context():
        incident = db.session.query(Incident).one()
        incident.ended_at = utcnow()
        incident.ended_by_id = db.session.query(User).filter_by(username="seed-rsk").one().id
        db.session.commit()


def _notes_kept(app: Flask) -> list[str]:
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        return [d.data.get("note", "") for d in db.session.query(Draft).all()]


def test_a_note_sent_after_the_close_is_kept_once_and_said_where(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/incidents/{_incident_id(live_app)}")
    _end_incident(live_app)
    page.get_by_label("Anteckning i loggen").fill(NOTE)
    page.get_by_role("button", name="Spara anteckning").tap()
    expect(page.locator("#log")).to_contain_text("anteckningen kom inte med i loggen")
    expect(page.locator("#late-drafts")).to_contain_text(
        "Utkast har kommit in efter att driftstoppet avslutades"
    )
    check_accessibility(page)
    # The tablet's own copy of the text, sent on from the next page, is the same draft.
    page.goto(f"{base}/drafts")
    time.sleep(2)
    assert _notes_kept(live_app) == [NOTE]
