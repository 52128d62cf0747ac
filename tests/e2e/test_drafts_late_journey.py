"""A tablet offline while the outage was closed comes back: its referral is kept, and the
secretary's start page says so, with the referral to read. A tablet typing on after the close
is told at once that its form cannot be sent, and where the text went."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from .conftest import check_accessibility, login
from .referral_support import case_count, fill_referral
from .seed import seed_case


def _end_incident(app: Flask) -> None:
    """The outage closed on the laptop meanwhile (the close itself has tests of its own)."""
    from webapp.extensions import db
    from webapp.models import Incident, User, utcnow

    with app.app_context():
        incident = db.session.query(Incident).one()
        incident.ended_at = utcnow()
        incident.ended_by_id = db.session.query(User).filter_by(username="seed-rsk").one().id
        db.session.commit()


def _stored(app: Flask, key: str) -> bool:
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        return db.session.query(Draft).filter_by(form_key=key).one_or_none() is not None


def test_a_referral_typed_offline_through_the_close_is_shown_to_the_secretary(
    page: Page,
    live_server,
    live_app,
    make_staff,
    browser: Browser,
    browser_context_args: dict[str, Any],
) -> None:
    seed_case(live_app, sign="")
    make_staff(role="secretary", username="sek", display_name="Siv Sekreterare")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/new")
    page.context.set_offline(True)
    page.get_by_role("textbox", name="Namn", exact=True).fill("Sen Sendberg")
    page.get_by_label("Frågeställning").fill("Lungemboli?")
    expect(page.locator(".draft-status")).to_contain_text("Ingen kontakt")
    key = page.locator("form.clinical input[name='form_key']").input_value()

    _end_incident(live_app)
    page.context.set_offline(False)
    deadline = time.monotonic() + 8
    while not _stored(live_app, key):
        assert time.monotonic() < deadline, "the referral never reached the laptop"
        time.sleep(0.2)

    context = browser.new_context(**browser_context_args)
    desk = context.new_page()
    login(desk, base, "sek")
    warning = desk.locator("#late-drafts")
    expect(warning).to_contain_text("Utkast har kommit in efter att driftstoppet avslutades")
    row = warning.get_by_role("listitem").filter(has_text="Sen Sendberg")
    expect(row).to_contain_text("Sara Seed")
    check_accessibility(desk)
    row.get_by_role("link", name="Läs utkastet").tap()
    expect(desk.locator(".typed-values")).to_contain_text("Lungemboli?")
    expect(desk.get_by_role("alert")).to_contain_text("För in uppgifterna direkt i RIS")
    check_accessibility(desk)
    context.close()


def test_a_referral_typed_after_the_close_says_it_cannot_be_sent(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    cases = case_count(live_app)
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    # Closed on the laptop while this page stays open on the tablet.
    _end_incident(live_app)
    fill_referral(page, "Sen Sendberg")
    status = page.locator("#referral-form .draft-status")
    expect(status).to_contain_text("Driftstoppet är avslutat – formuläret kan inte skickas här")
    expect(status).to_contain_text("Texten är sparad på datorn")
    expect(status).to_contain_text("säg till en sekreterare")
    # Heard as an alert, from the region beside the status that speaks when the state changes.
    expect(page.locator("#referral-form [role=alert]")).to_contain_text("Driftstoppet är avslutat")
    check_accessibility(page)
    # Typed on, it stays said: each save since is of an ended incident too.
    page.get_by_role("textbox", name="Frågeställning").fill("Blödning? Huvudvärk sedan i går.")
    expect(status).to_contain_text("Driftstoppet är avslutat")

    page.get_by_role("button", name="Spara remissen").tap()
    expect(page.locator(".flashes")).to_contain_text("remissen kan inte skickas här")
    expect(page.get_by_role("textbox", name="Frågeställning")).to_have_value(
        "Blödning? Huvudvärk sedan i går."
    )
    expect(page.get_by_role("textbox", name="Namn", exact=True)).to_have_value("Sen Sendberg")
    # The page drawn again says it in the status too, before anything more is typed.
    expect(status).to_contain_text("Driftstoppet är avslutat")
    assert case_count(live_app) == cases
    check_accessibility(page)


def test_an_english_page_says_so_in_english(page: Page, live_server, live_app, make_staff) -> None:
    from webapp.extensions import db
    from webapp.models import User

    seed_case(live_app, sign="")
    make_staff(username="rsk-en", display_name="Rita English")
    with live_app.app_context():
        db.session.query(User).filter_by(username="rsk-en").one().language = "en"
        db.session.commit()
    login(page, live_server.url, "rsk-en")
    page.goto(f"{live_server.url}/cases/new")
    _end_incident(live_app)
    page.locator("#clinical_question").fill("Bleeding?")
    expect(page.locator("#referral-form .draft-status")).to_contain_text(
        "The outage is closed – this form cannot be sent here"
    )


def test_a_note_typed_after_the_close_says_it_missed_the_log_not_ris(
    page: Page, live_server, live_app
) -> None:
    # A note is nothing anyone keys into RIS: the outage's log takes no note once it has ended.
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/incidents/{seeded['incident_id']}")
    _end_incident(live_app)
    form = page.locator('form[data-draft-kind="incident_note"]')
    form.get_by_role("textbox", name="Anteckning i loggen").fill("IT ringer tillbaka 14:00")
    status = form.locator(".draft-status")
    expect(status).to_contain_text(
        "Driftstoppet är avslutat – anteckningen kommer inte med i loggen"
    )
    expect(status).to_contain_text("Texten är sparad på datorn")
    expect(status).not_to_contain_text("RIS")
    expect(form.locator("[role=alert]")).to_contain_text("Driftstoppet är avslutat")
    check_accessibility(page)
