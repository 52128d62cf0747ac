"""A copy left on a tablet whose form another tablet sent meanwhile is kept, not deleted."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask
from playwright.sync_api import Page, Route, expect

from .conftest import PORTRAIT, login
from .seed import seed_case
from .test_drafts_journey import _wait_stored


def _case_drafts(app: Flask, case_id: int) -> dict[str, dict[str, Any]]:
    """Every draft of the case on the laptop (finished or not), by form key."""
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        drafts = db.session.query(Draft).filter_by(case_id=case_id).all()
        return {d.form_key: {"done": d.is_done, **d.data} for d in drafts}


def test_report_text_left_on_a_tablet_after_another_tablet_signed_it_reaches_the_laptop(
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

    # The laptop stops taking this tablet's drafts; its radiologist types on, then leaves the
    # form (the copy stays on the tablet only).
    def refuse(route: Route) -> None:
        route.abort()

    page.context.route("**/api/drafts/**", refuse)
    findings.fill("Ingen blödning. Liten kontusion frontalt.")
    expect(page.locator("#report-form .draft-status")).to_contain_text("Ingen kontakt")
    page.goto(f"{base}/drafts")
    expect(page.locator("#local-drafts")).to_be_visible()

    # Meanwhile a colleague goes on with the laptop's draft on another tablet and signs it.
    other = page.context.browser.new_context(viewport=PORTRAIT, has_touch=True, locale="sv-SE")
    tablet = other.new_page()
    login(tablet, base, "rad2")
    tablet.goto(f"{base}/drafts")
    tablet.get_by_role("link", name="Fortsätt").tap()
    tablet.get_by_role("textbox", name="Bedömning").fill("Normalt.")
    tablet.get_by_role("button", name="Signera preliminärt").tap()
    expect(tablet.locator(".flash").first).to_contain_text("preliminärt signerat")
    other.close()

    # The first tablet is heard again: its text goes to the laptop as a draft of its own.
    page.context.unroute("**/api/drafts/**")
    page.goto(f"{base}/drafts")
    wanted = "Ingen blödning. Liten kontusion frontalt."
    deadline = time.monotonic() + 8
    while not any(
        not d["done"] and d.get("sections-2-text") == wanted
        for d in _case_drafts(live_app, case_id).values()
    ):
        assert time.monotonic() < deadline, _case_drafts(live_app, case_id)
        time.sleep(0.2)
    page.reload()
    superseded = page.get_by_role("row").filter(has_text="Ersatt av en senare sparad version")
    expect(superseded).to_be_visible()
    expect(page.locator("#local-drafts")).to_be_hidden()
