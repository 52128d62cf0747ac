"""A draft continued on another tablet and sent there before anything was typed: refused by
the form's checks, what is typed next still goes on in the same draft."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import PORTRAIT, login
from .referral_support import case_count
from .seed import seed_case
from .test_drafts_journey import _wait_stored


def _open_keys(app: Flask) -> set[str]:
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        return {d.form_key for d in db.session.query(Draft).filter_by(is_done=False)}


def test_text_typed_after_a_refused_send_of_a_continued_draft_goes_on_in_that_draft(
    page: Page, live_server, live_app, make_staff
) -> None:
    seed_case(live_app)
    make_staff(username="rsk2", display_name="Rune Röntgen")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/new")
    page.get_by_role("textbox", name="Personnummer").fill("19121212-1212")
    page.get_by_role("textbox", name="Namn", exact=True).fill("Tolvan Tolvansson")
    key = page.locator("#referral-form input[name='form_key']").input_value()
    _wait_stored(live_app, key, "patient_name", "Tolvan Tolvansson")
    page.context.close()

    # The tablet is swapped: a colleague opens the draft and taps Spara before typing anything.
    other = page.context.browser.new_context(viewport=PORTRAIT, has_touch=True, locale="sv-SE")
    tablet = other.new_page()
    login(tablet, base, "rsk2")
    tablet.goto(f"{base}/drafts")
    tablet.get_by_role("link", name="Fortsätt").tap()
    expect(tablet.get_by_role("textbox", name="Namn", exact=True)).to_have_value(
        "Tolvan Tolvansson"
    )
    tablet.get_by_role("button", name="Spara remissen").tap()
    expect(tablet.locator(".error-summary")).to_be_visible()

    # What the checks asked for is typed: it goes on in the draft the tablet continued.
    tablet.get_by_role("textbox", name="Remitterande enhet").fill("Akutmottagningen")
    _wait_stored(live_app, key, "referrer_unit", "Akutmottagningen")
    expect(tablet.locator(".draft-status")).to_contain_text("Utkast sparat på datorn")
    expect(tablet.locator(".draft-status")).not_to_contain_text("annan platta")
    assert _open_keys(live_app) == {key}
    assert case_count(live_app) == 1
    other.close()
