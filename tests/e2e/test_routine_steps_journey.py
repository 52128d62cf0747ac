"""Tick a "Gör så här" step of the routine on the incident page, see who did it, untick it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import assert_no_horizontal_scroll, check_accessibility, login

STEP = "Boka patienten manuellt på modaliteten och skriv in tillfälligt ID."


def test_a_step_of_the_routine_is_ticked_and_unticked_on_the_tablet(
    page: Page, live_server, make_staff
) -> None:
    make_staff(username="kim", role="radiographer", display_name="Kim Ström")
    login(page, live_server.url, "kim")
    page.get_by_role("link", name="Registrera driftstopp").first.tap()
    page.get_by_label("Integrationsmotorn nere (remisser når inte RIS)").check()
    page.get_by_label("Övning (inte ett verkligt driftstopp)").check()
    page.get_by_role("button", name="Registrera och visa rutinen").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Integrationsmotorn nere")

    step = page.locator("button.tick", has_text=STEP)
    expect(step).to_have_attribute("aria-pressed", "false")
    box = step.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44, box
    step.tap()

    expect(page).to_have_url(re.compile(r"#steps$"))
    step = page.locator("button.tick", has_text=STEP)
    expect(step).to_have_attribute("aria-pressed", "true")
    expect(step).to_contain_text(re.compile(r"Klart \d\d:\d\d – Kim Ström"))
    expect(page.locator(".log")).to_contain_text(STEP)
    check_accessibility(page)
    assert_no_horizontal_scroll(page)

    step.tap()
    step = page.locator("button.tick", has_text=STEP)
    expect(step).to_have_attribute("aria-pressed", "false")
    expect(step).to_contain_text("Ej gjort")
    expect(page.locator(".log")).to_contain_text("ångrat")
