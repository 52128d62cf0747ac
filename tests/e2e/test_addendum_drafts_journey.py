"""An addendum typed in the browser autosaves: it survives a reload and is signed once."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import login
from .seed import seed_case
from .test_drafts_journey import _wait_stored
from .test_edit_drafts_journey import _is_done

TEXT = "Vid förnyad granskning ses även en fraktur i femte revbenet höger."


def _addenda(app: Flask) -> int:
    from webapp.extensions import db
    from webapp.models import Addendum

    with app.app_context():
        return db.session.query(Addendum).count()


def test_an_addendum_typed_survives_a_reload_and_is_signed_once(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="definitive")
    base = live_server.url
    login(page, base, "seed-rad")
    page.goto(f"{base}/reporting/{seeded['case_id']}")
    page.get_by_role("textbox", name="Tillägg").fill(TEXT)
    expect(page.locator("#addendum .draft-status")).to_contain_text("Utkast sparat på datorn")
    key = page.locator("#addendum input[name='form_key']").input_value()
    _wait_stored(live_app, key, "text", TEXT)

    page.reload()
    expect(page.get_by_role("textbox", name="Tillägg")).to_have_value(TEXT)
    page.get_by_role("button", name="Signera tillägg").tap()
    expect(page.locator(".flash").first).to_contain_text("Tillägget är signerat.")
    assert _is_done(live_app, key)
    assert _addenda(live_app) == 1


def test_a_signed_addendum_leaves_no_copy_of_its_text_on_the_tablet(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="definitive")
    base = live_server.url
    login(page, base, "seed-rad")
    page.goto(f"{base}/reporting/{seeded['case_id']}")
    page.get_by_role("textbox", name="Tillägg").fill(TEXT)
    key = page.locator("#addendum input[name='form_key']").input_value()
    _wait_stored(live_app, key, "text", TEXT)
    page.get_by_role("button", name="Signera tillägg").tap()
    expect(page.locator(".flash").first).to_contain_text("Tillägget är signerat.")
    # The laptop confirmed the form: a shared tablet keeps no patient text of it any longer.
    assert page.evaluate(f"window.localStorage.getItem('reservrutin:draft:{key}')") is None
