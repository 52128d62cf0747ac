"""Secretary: "Bokad i RIS" tapped out of habit after the accession booked it stays booked.

Saving a new accession marks the step done; before that, the secretary ticked it herself. The
done step's own button no longer undoes it: a separate "Ångra" beside it does, in one tap.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import assert_no_horizontal_scroll, check_accessibility, login
from .seed import seed_case


def test_booked_tapped_after_the_accession_booked_it_stays_booked_and_says_so(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    login(page, live_server.url, "sek1")
    page.goto(f"{live_server.url}/catchup/cases/{seeded['case_id']}")
    page.get_by_label("Accessionsnummer (RIS)").fill("EXS10000001")
    page.get_by_role("button", name="Spara RIS-nummer").tap()
    expect(page.locator(".flash")).to_contain_text("”Bokad i RIS” är markerat som klart")

    booked = page.locator("button[data-step='booked']")
    booked.tap()
    expect(page.locator("#step-booked-note")).to_contain_text("”Bokad i RIS” är redan klar")
    expect(booked).to_have_attribute("aria-pressed", "true")
    expect(booked).to_contain_text("Sigrid Sekreterare")

    # Undoing is the separate control beside it, named with its step, as tall as a finger.
    undo = page.get_by_role("button", name="Ångra ”Bokad i RIS”")
    box = undo.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    check_accessibility(page)
    assert_no_horizontal_scroll(page)
    undo.tap()
    expect(page.locator(".flash")).to_contain_text("Ångrat: Bokad i RIS.")
    expect(booked).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_role("button", name="Ångra ”Bokad i RIS”")).to_have_count(0)
