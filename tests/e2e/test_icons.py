"""Status badges draw the app's own icons: a tablet without an emoji font shows them too."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image
from playwright.sync_api import Locator, Page, expect

from .conftest import login
from .seed import seed_case

# Each badge with the text it must keep beside its icon.
BADGES = (("overdue", "Försenad"), ("fax-needed", "Svar ej faxat"))

# Where the badge's ::before icon sits, from its computed box: inside the badge's padding.
_MEASURE = """badge => {
  const box = badge.getBoundingClientRect();
  const own = getComputedStyle(badge);
  const icon = getComputedStyle(badge, "::before");
  return {
    left: parseFloat(own.borderLeftWidth) + parseFloat(own.paddingLeft),
    top: (box.height - parseFloat(icon.height)) / 2,
    width: parseFloat(icon.width), height: parseFloat(icon.height),
    fontSize: parseFloat(own.fontSize),
    mask: icon.maskImage || icon.webkitMaskImage,
    content: icon.content,
  };
}"""


def _red_pixels(badge: Locator, m: dict) -> int:
    """Pixels in the badge's red (--danger) where its icon is, not on its border or text."""
    shot = Image.open(io.BytesIO(badge.screenshot())).convert("RGB")
    area = shot.crop((m["left"], m["top"], m["left"] + m["width"], m["top"] + m["height"]))
    rgb = area.tobytes()
    pixels = zip(rgb[0::3], rgb[1::3], rgb[2::3], strict=True)
    return sum(1 for r, g, b in pixels if r > 110 and g < 90 and b < 110)


def _assert_badges_draw_their_icons(page: Page) -> None:
    for status, label in BADGES:
        badge = page.locator(f".status.{status}")
        expect(badge).to_have_count(1)
        expect(badge).to_have_text(label)  # the icon adds no text; the label stays
        m = badge.evaluate(_MEASURE)
        assert m["content"] == '""' and "data:image/svg+xml" in m["mask"], m
        # Sized in em: as tall and wide as the badge's text.
        assert abs(m["width"] - m["fontSize"]) < 0.5 and abs(m["height"] - m["fontSize"]) < 0.5
        # Drawn in the badge's colour, so the drawing loaded under the page's CSP.
        assert _red_pixels(badge, m) >= 10, f"{status}: icon not drawn in the badge's red"
    assert not page.evaluate(r"() => /\p{Extended_Pictographic}/u.test(document.body.innerText)")


def test_board_and_worklist_badges_draw_their_icons_beside_the_text(
    page: Page, live_server, live_app
) -> None:
    from webapp.models import utcnow

    # An akut case in for three hours (its limit is an hour) with an unfaxed preliminary report.
    seed_case(live_app, sign="preliminary", arrived_at=utcnow() - timedelta(hours=3))
    login(page, live_server.url, "seed-rad")

    page.goto(f"{live_server.url}/reporting/")
    _assert_badges_draw_their_icons(page)

    page.clock.install()
    page.goto(f"{live_server.url}/board/")
    _assert_badges_draw_their_icons(page)

    # The board rebuilds its rows from the server every ten seconds: the new rows draw them too.
    page.locator("#board .board-list").evaluate("list => { list.dataset.before = '1'; }")
    with page.expect_response(lambda r: "/board/rows" in r.url):
        page.clock.run_for(10_500)
    expect(page.locator("#board .board-list[data-before]")).to_have_count(0)
    expect(page.locator("#board .board-list")).to_have_count(1)
    _assert_badges_draw_their_icons(page)


def test_an_icon_beside_a_text_is_drawn_in_its_colour(page: Page, live_server, live_app) -> None:
    from webapp.models import utcnow

    case = seed_case(live_app, sign="preliminary", arrived_at=utcnow() - timedelta(hours=3))
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/cases/{case['case_id']}")
    icon = page.locator(".late-flag .icon.i-clock")
    expect(icon).to_have_attribute("aria-hidden", "true")
    box = icon.bounding_box()
    assert box is not None and 10 <= box["width"] <= 24 and box["width"] == box["height"]
    rgb = Image.open(io.BytesIO(icon.screenshot())).convert("RGB").tobytes()
    pixels = zip(rgb[0::3], rgb[1::3], rgb[2::3], strict=True)
    assert sum(1 for r, g, b in pixels if r > 110 and g < 90 and b < 110) >= 10
