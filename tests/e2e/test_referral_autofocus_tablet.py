"""The new referral opens with the cursor in its first typed field, the page's top still shown."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import LANDSCAPE, login
from .seed import seed_case

TOP_SHOWN = """() => ({ y: window.scrollY,
  h1: document.querySelector('h1').getBoundingClientRect().top })"""


def test_a_new_referral_starts_in_the_personnummer_field_without_scrolling(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    for size in (None, LANDSCAPE):
        if size:
            page.set_viewport_size(size)
        page.goto(f"{live_server.url}/cases/new")
        expect(page.get_by_role("textbox", name="Personnummer")).to_be_focused()
        shown = page.evaluate(TOP_SHOWN)
        assert shown["y"] == 0 and shown["h1"] >= 0, (size, shown)


def test_a_refused_referral_focuses_its_error_summary_not_the_first_field(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    page.get_by_role("button", name="Spara remissen").first.tap()
    expect(page.locator("#error-summary")).to_be_focused()
