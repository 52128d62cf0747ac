"""A tablet has no hover: the header's own-PIN link says so on screen, and the sticky bar shows
the patient's whole name beside the case code at 320 px and on a portrait tablet."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import login
from .seed import seed_case

SMALLEST = {"width": 320, "height": 568}
PORTRAIT = {"width": 768, "height": 1024}
WIDTHS = [pytest.param(SMALLEST, id="320"), pytest.param(PORTRAIT, id="768")]
LONG_NAME = "Anna-Karin Lindqvist-Håkansson Östergren"

# Whole: not cut by its own box and inside the screen.
WHOLE = """el => { const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && el.scrollWidth <= el.clientWidth
         && el.scrollHeight <= el.clientHeight
         && r.left >= 0 && r.right <= window.innerWidth
         && r.top >= 0 && r.bottom <= window.innerHeight; }"""
# Whole in the bar: not cut by its own box nor by its line's, each of its lines of text inside
# the line's box and on the screen.
WHOLE_IN_LINE = """el => {
  const line = el.closest('.identity-line'), l = line.getBoundingClientRect();
  const rects = [...el.getClientRects()];
  return rects.length > 0 && el.scrollWidth <= el.clientWidth
         && line.scrollWidth <= line.clientWidth && line.scrollHeight <= line.clientHeight
         && rects.every(r => r.width > 0 && r.left >= l.left - 0.5 && r.right <= l.right + 0.5
                             && r.top >= l.top - 0.5 && r.bottom <= l.bottom + 0.5
                             && r.left >= 0 && r.right <= window.innerWidth
                             && r.top >= 0 && r.bottom <= window.innerHeight); }"""


@pytest.mark.parametrize("viewport", WIDTHS)
def test_own_pin_link_says_what_it_does_without_hover(
    page: Page, live_server, live_app, viewport: dict[str, int]
) -> None:
    seed_case(live_app, sign="")
    page.set_viewport_size(viewport)
    login(page, live_server.url, "seed-rad")
    link = page.locator(".topbar .who-name")
    # Seen on the screen, not only in a tooltip, and it is the link's name too.
    expect(link).to_contain_text("Rolf Radiolog")
    expect(link).to_contain_text("Byt PIN-kod")
    expect(page.get_by_role("link", name="Rolf Radiolog Byt PIN-kod")).to_be_visible()
    assert link.get_attribute("title") is None
    box = link.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44, box
    assert link.evaluate(WHOLE)
    # The header keeps its buttons on the screen: no line of it reaches past the edge.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    for target in page.locator(".topbar a, .topbar button").all():
        r = target.bounding_box()
        assert r and r["x"] >= 0 and r["x"] + r["width"] <= viewport["width"], r
        assert r["height"] >= 44, r
    link.tap()
    expect(page.get_by_role("heading", name="Byt PIN-kod eller lösenord")).to_be_visible()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_long_name_is_whole_in_the_bar_beside_the_code(
    page: Page, live_server, live_app, viewport: dict[str, int]
) -> None:
    seeded = seed_case(live_app, sign="", patient_name=LONG_NAME)
    page.set_viewport_size(viewport)
    login(page, live_server.url, "seed-rad")
    for url in (
        f"{live_server.url}/cases/{seeded['case_id']}/exam",
        f"{live_server.url}/reporting/{seeded['case_id']}",
    ):
        page.goto(url)
        last = page.locator("form[data-draft-kind]:has(.actions-bar) textarea").last
        last.tap()
        last.type("x")
        bar = page.locator("form[data-draft-kind] .actions-bar")
        expect(bar.locator(".draft-status")).to_contain_text("Utkast sparat", timeout=10000)
        name = bar.locator(".id-name")
        expect(name).to_have_text(LONG_NAME)
        assert name.evaluate(WHOLE_IN_LINE), (url, viewport)
        assert bar.locator(".id-code").evaluate(WHOLE_IN_LINE), (url, viewport)
        expect(bar.locator(".id-code")).to_have_text(seeded["code"])
        assert bar.locator(".id-number").evaluate(WHOLE_IN_LINE), (url, viewport)
