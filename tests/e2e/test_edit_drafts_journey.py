"""Edits of saved records in the browser: what is typed survives a reload and a swapped tablet."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import PORTRAIT, login
from .seed import seed_case
from .test_drafts_journey import _wait_stored


def _is_done(app: Flask, key: str) -> bool:
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        return bool(db.session.query(Draft).filter_by(form_key=key).one().is_done)


def test_referral_edit_survives_a_reload_and_is_offered_on_another_tablet(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app, sign="")
    make_staff(username="rsk2", display_name="Rut Röntgen")
    base = live_server.url
    edit_url = f"{base}/cases/{seeded['case_id']}/referral"
    login(page, base, "seed-rsk")
    page.goto(edit_url)
    history = page.get_by_role("textbox", name="Anamnes")
    history.fill("Waran. Nu även kräkningar.")
    expect(page.locator(".draft-status")).to_contain_text("Utkast sparat på datorn")
    key = page.locator("#referral-form input[name='form_key']").input_value()
    _wait_stored(live_app, key, "history", "Waran. Nu även kräkningar.")

    page.reload()
    expect(page.get_by_role("textbox", name="Anamnes")).to_have_value("Waran. Nu även kräkningar.")

    other = page.context.browser.new_context(viewport=PORTRAIT, has_touch=True, locale="sv-SE")
    tablet = other.new_page()
    login(tablet, base, "rsk2")
    tablet.goto(edit_url)
    offer = tablet.locator(".draft-offer")
    expect(offer).to_contain_text("Osparad ändring från")
    expect(offer).to_contain_text("Sara Seed")
    offer.get_by_role("link", name="Fortsätt").tap()
    expect(tablet.get_by_role("textbox", name="Anamnes")).to_have_value(
        "Waran. Nu även kräkningar."
    )
    tablet.get_by_role("button", name="Spara ändringen").tap()
    expect(tablet.locator(".flash").first).to_contain_text("Ändringen är sparad.")
    other.close()

    page.goto(edit_url)
    expect(page.locator(".draft-offer")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Anamnes")).to_have_value("Waran. Nu även kräkningar.")


def test_logging_out_leaves_no_copy_the_laptop_holds_on_the_tablet(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/{seeded['case_id']}/referral")
    page.get_by_role("textbox", name="Anamnes").fill("Waran. Nu även kräkningar.")
    expect(page.locator(".draft-status")).to_contain_text("Utkast sparat på datorn")
    unsent = "u" * 20
    page.evaluate(
        f"""localStorage.setItem("reservrutin:draft:{unsent}", JSON.stringify({{seq: 1,
             data: {{patient_name: "Osänd Olsson"}}, label: "Osänd Olsson", kind: "referral",
             synced: false, at: Date.now(), path: "/cases/new"}}))"""
    )
    # A shared tablet: the next user must not find this patient's text in the browser.
    page.get_by_role("button", name="Byt användare").tap()
    page.wait_for_url("**/login**")
    kept = page.evaluate("Object.keys(localStorage).sort()")
    assert kept == ["reservrutin:draft:" + unsent]  # not yet on the laptop: kept to be sent


def test_throwing_a_draft_away_takes_a_second_tap(page: Page, live_server, live_app) -> None:
    seeded = seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/{seeded['case_id']}/referral")
    page.get_by_role("textbox", name="Anamnes").fill("Waran. Nu även kräkningar.")
    key = page.locator("#referral-form input[name='form_key']").input_value()
    _wait_stored(live_app, key, "history", "Waran. Nu även kräkningar.")
    page.goto(f"{base}/drafts")
    page.get_by_text("Släng", exact=True).tap()
    assert not _is_done(live_app, key)  # one tap (a slip while scrolling) throws nothing away
    # The warning is read in full on the portrait tablet, not cut off at its right edge.
    warning = page.locator(".discard-confirm-box").first.bounding_box()
    assert warning and warning["x"] + warning["width"] <= PORTRAIT["width"], warning
    page.get_by_role("button", name="Ja, släng utkastet").tap()
    expect(page.locator(".flash").first).to_contain_text("borttaget")
    expect(page.locator("main")).to_contain_text("Inga osparade utkast.")


def test_two_tablets_typing_the_same_draft_keep_both_texts(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app, sign="")
    make_staff(username="rsk2", display_name="Rut Röntgen")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/{seeded['case_id']}/exam")
    notes = page.get_by_role("textbox", name="Anteckningar")
    notes.fill("Orolig patient.")
    key = page.locator("#exam-form input[name='form_key']").input_value()
    _wait_stored(live_app, key, "notes", "Orolig patient.")

    other = page.context.browser.new_context(viewport=PORTRAIT, has_touch=True, locale="sv-SE")
    tablet = other.new_page()
    login(tablet, base, "rsk2")
    tablet.goto(f"{base}/cases/{seeded['case_id']}/exam?draft={key}")
    tablet.get_by_role("textbox", name="Anteckningar").fill("Orolig patient. Lugnad.")
    _wait_stored(live_app, key, "notes", "Orolig patient. Lugnad.")

    # The first tablet, which never showed the other's text, types on: each save holds the
    # whole form, so its text goes on as a draft of its own instead of replacing the other's.
    notes.fill("Orolig patient, fick kräkas.")
    expect(page.locator(".draft-status")).to_contain_text("sparades från en annan platta")
    new_key = page.locator("#exam-form input[name='form_key']").input_value()
    assert new_key != key
    _wait_stored(live_app, new_key, "notes", "Orolig patient, fick kräkas.")
    _wait_stored(live_app, key, "notes", "Orolig patient. Lugnad.")
    other.close()
