"""One draft typed on two tablets at once: neither tablet's text is put out of the laptop."""

from __future__ import annotations

from typing import Any

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import PORTRAIT, login
from .seed import seed_case
from .test_drafts_journey import _wait_stored


def _open_drafts(app: Flask, case_id: int) -> dict[str, dict[str, Any]]:
    """The case's unfinished drafts on the laptop, by form key."""
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        drafts = db.session.query(Draft).filter_by(case_id=case_id, is_done=False).all()
        return {d.form_key: dict(d.data) for d in drafts}


def test_text_typed_offline_over_a_draft_another_tablet_went_on_with_is_kept_as_its_own(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app, sign="")
    case_id = seeded["case_id"]
    make_staff(role="radiologist", username="rad2", display_name="Rut Radiolog")
    base = live_server.url
    login(page, base, "seed-rad")
    page.goto(f"{base}/reporting/{case_id}")
    findings = page.get_by_role("textbox", name="Fynd")
    findings.fill("Ingen blödning.")
    key = page.locator("#report-form input[name='form_key']").input_value()
    _wait_stored(live_app, key, "sections-2-text", "Ingen blödning.")
    expect(page.locator("#report-form .draft-status")).to_contain_text("Utkast sparat på datorn")

    # The first tablet loses the Wi-Fi and its radiologist types on.
    page.context.set_offline(True)
    findings.fill("Ingen blödning. Liten kontusion frontalt.")
    expect(page.locator("#report-form .draft-status")).to_contain_text("Ingen kontakt")

    # Meanwhile a colleague opens the same draft on another tablet and goes on with it: the
    # laptop's text is theirs to go on from, so their save is no conflict.
    other = page.context.browser.new_context(viewport=PORTRAIT, has_touch=True, locale="sv-SE")
    tablet = other.new_page()
    login(tablet, base, "rad2")
    tablet.goto(f"{base}/drafts")
    tablet.get_by_role("link", name="Fortsätt").tap()
    expect(tablet.get_by_role("textbox", name="Fynd")).to_have_value("Ingen blödning.")
    tablet.get_by_role("textbox", name="Bedömning").fill("Normalt.")
    _wait_stored(live_app, key, "sections-3-text", "Normalt.")
    expect(tablet.locator("#report-form .draft-status")).to_contain_text("Utkast sparat på datorn")
    expect(tablet.locator("#report-form .draft-status")).not_to_contain_text("annan platta")

    # The Wi-Fi returns: the first tablet's text does not replace the colleague's, nor theirs it.
    page.context.set_offline(False)
    status = page.locator("#report-form .draft-status")
    expect(status).to_contain_text("Samma utkast sparades från en annan platta", timeout=15000)
    expect(status).to_contain_text("den andra plattans text finns kvar under Utkast")
    new_key = page.locator("#report-form input[name='form_key']").input_value()
    assert new_key != key
    _wait_stored(live_app, new_key, "sections-2-text", "Ingen blödning. Liten kontusion frontalt.")
    drafts = _open_drafts(live_app, case_id)
    assert drafts[key]["sections-2-text"] == "Ingen blödning."
    assert drafts[key]["sections-3-text"] == "Normalt."
    assert drafts[new_key]["sections-3-text"] == ""
    assert set(drafts) == {key, new_key}
    # A reload of the first tablet comes back to its own text, under its new key.
    page.reload()
    expect(page.get_by_role("textbox", name="Fynd")).to_have_value(
        "Ingen blödning. Liten kontusion frontalt."
    )

    # The colleague goes on typing in the draft they opened: still theirs, no fork.
    tablet.get_by_role("textbox", name="Bedömning").fill("Normalt. Ingen akut patologi.")
    _wait_stored(live_app, key, "sections-3-text", "Normalt. Ingen akut patologi.")
    expect(tablet.locator("#report-form .draft-status")).not_to_contain_text("annan platta")
    assert set(_open_drafts(live_app, case_id)) == {key, new_key}

    # Both are listed, so someone decides which text becomes the report.
    tablet.goto(f"{base}/drafts")
    expect(tablet.get_by_role("link", name="Fortsätt")).to_have_count(2)
    other.close()
