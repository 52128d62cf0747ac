"""Status badges draw the app's own icons: a tablet without an emoji font shows them too."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image
from playwright.sync_api import Locator, Page, expect

from .conftest import login
from .seed import seed_case

# Each badge with the text it must keep beside its icon, and the icon's name in the sprite.
BADGES = (("overdue", "Försenad", "clock"), ("fax-needed", "Svar ej faxat", "fax"))

_MEASURE = """svg => {
  const box = svg.getBoundingClientRect();
  const badge = svg.parentElement.getBoundingClientRect();
  const use = svg.querySelector("use");
  return {
    width: box.width, height: box.height, top: box.top, bottom: box.bottom,
    badgeTop: badge.top, badgeBottom: badge.bottom,
    fontSize: parseFloat(getComputedStyle(svg).fontSize),
    hidden: svg.getAttribute("aria-hidden"),
    href: use.getAttribute("href"),
  };
}"""


def _is_drawn(page: Page, selector: str) -> None:
    # The sprite loads after the page: its symbol gives the <use> a box once it is there.
    page.wait_for_function(
        "s => [...document.querySelectorAll(s)].every(u => u.getBBox().width > 0)",
        arg=selector,
    )


def _red_pixels(icon: Locator) -> int:
    """Pixels of the icon's own area in the badge's red (--danger), not the white behind it."""
    rgb = Image.open(io.BytesIO(icon.screenshot())).convert("RGB").tobytes()
    pixels = zip(rgb[0::3], rgb[1::3], rgb[2::3], strict=True)
    return sum(1 for r, g, b in pixels if r > 110 and g < 90 and b < 110)


def _assert_badges_hold_drawn_icons(page: Page) -> None:
    for status, label, name in BADGES:
        badge = page.locator(f".status.{status}")
        expect(badge).to_have_count(1)
        expect(badge).to_have_text(label)  # the icon adds no text; the label stays
        icon = badge.locator("svg.icon")
        expect(icon).to_have_count(1)
        _is_drawn(page, f".status.{status} svg.icon use")
        m = icon.evaluate(_MEASURE)
        assert m["hidden"] == "true"
        assert m["href"].split("#")[-1] == name and "/static/img/icons.svg" in m["href"]
        # Sized in em: as tall and wide as the badge's text, and inside the badge's line.
        assert m["width"] > 0 and m["height"] > 0
        assert abs(m["width"] - m["fontSize"]) < 0.5 and abs(m["height"] - m["fontSize"]) < 0.5
        assert m["badgeTop"] <= m["top"] and m["bottom"] <= m["badgeBottom"]
        # Drawn in the badge's colour (currentColor), so the sprite loaded under the CSP.
        assert _red_pixels(icon) >= 10, f"{status}: icon not drawn in the badge's red"
    assert not page.evaluate(r"() => /\p{Extended_Pictographic}/u.test(document.body.innerText)")


def test_board_and_worklist_badges_draw_their_icons_beside_the_text(
    page: Page, live_server, live_app
) -> None:
    from webapp.models import utcnow

    # An akut case in for three hours (its limit is an hour) with an unfaxed preliminary report.
    seed_case(live_app, sign="preliminary", arrived_at=utcnow() - timedelta(hours=3))
    login(page, live_server.url, "seed-rad")

    page.goto(f"{live_server.url}/reporting/")
    _assert_badges_hold_drawn_icons(page)

    page.clock.install()
    page.goto(f"{live_server.url}/board/")
    _assert_badges_hold_drawn_icons(page)

    # The board rebuilds its rows from the server every ten seconds: the new rows draw them too.
    page.locator("#board .board-list").evaluate("list => { list.dataset.before = '1'; }")
    with page.expect_response(lambda r: "/board/rows" in r.url):
        page.clock.run_for(10_500)
    expect(page.locator("#board .board-list[data-before]")).to_have_count(0)
    expect(page.locator("#board .board-list")).to_have_count(1)
    _assert_badges_hold_drawn_icons(page)
