"""An arrival long before the outage was declared, on the tablet: the laptop asks about it beside
the field, keeps what was typed, and offers a box to tick, big enough to tap on a phone too;
ticked, the referral is saved and the confirmation audited."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from playwright.sync_api import Page, expect

from ..factories import audit_events, local_minute
from .conftest import check_accessibility, login
from .referral_support import case_count, fill_referral
from .seed import seed_case

CONFIRM = "Ankomsttiden stämmer"
PHONE = {"width": 390, "height": 844}
# The box is tapped by its label: its box on the screen, as test_narrow_screens measures it.
LABEL_BOX = """e => { const r = e.closest('label').getBoundingClientRect();
  return {left: r.left, right: r.right, width: r.width, height: r.height,
          screen: window.innerWidth}; }"""


def test_an_arrival_before_the_outage_is_asked_about_and_saved_once_ticked(
    page: Page, live_server, live_app: Flask
) -> None:
    seed_case(live_app, sign="")  # declares the outage now
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    fill_referral(page, "Berit Lördag")
    # Down since Friday night, declared on Monday morning: the fax came on Saturday.
    typed = local_minute(-timedelta(days=2, hours=10))
    page.locator("#arrived_at").fill(typed)
    before = case_count(live_app)
    page.get_by_role("button", name="Spara remissen").click()

    expect(page.locator("#arrived_at-error")).to_contain_text(
        "mer än ett dygn före driftstoppets start"
    )
    expect(page.locator("#arrived_at-error")).to_contain_text(f"bocka i ”{CONFIRM}”")
    box = page.get_by_role("checkbox", name=CONFIRM)
    expect(box).to_be_visible()
    expect(box).not_to_be_checked()
    expect(page.locator("#arrived_at")).to_have_value(typed)
    expect(page.get_by_role("textbox", name="Frågeställning")).to_have_value("Blödning?")
    assert case_count(live_app) == before
    check_accessibility(page, every_impact=True)
    for viewport in (page.viewport_size, PHONE):
        assert viewport is not None
        page.set_viewport_size(viewport)
        target = box.evaluate(LABEL_BOX)
        assert target["width"] >= 44 and target["height"] >= 44, target
        assert target["left"] >= 0 and target["right"] <= target["screen"], target

    box.tap()
    page.get_by_role("button", name="Spara remissen").click()
    expect(page.locator(".flash")).to_contain_text("Remissen är sparad.")
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    assert case_count(live_app) == before + 1
    assert "bekräftad som rätt" in audit_events(live_app, "case_create")[-1].detail
