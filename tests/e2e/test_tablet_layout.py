"""Layout on the department's tablets, measured in the browser (boxes, focus, attributes)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .conftest import login
from .seed import seed_case

IPAD_PORTRAIT = {"width": 820, "height": 1180}
IPAD_LANDSCAPE = {"width": 1180, "height": 820}
ANDROID = {"width": 800, "height": 1280}

OVERLAPS = """() => {
  const out = [];
  document.querySelectorAll('.facts dt').forEach(dt => {
    const dd = dt.nextElementSibling;
    const range = document.createRange();
    range.selectNodeContents(dt);
    const text = range.getBoundingClientRect();
    const value = dd.getBoundingClientRect();
    const apart = text.right <= value.left || text.bottom <= value.top
      || value.right <= text.left || value.bottom <= text.top;
    if (!apart) out.push(dt.textContent.trim());
  });
  return out;
}"""


@pytest.mark.parametrize("viewport", [IPAD_PORTRAIT, IPAD_LANDSCAPE, ANDROID])
def test_case_page_labels_never_overlap_their_values(
    page: Page, live_server, live_app, viewport: dict[str, int]
) -> None:
    seeded = seed_case(live_app)
    page.set_viewport_size(viewport)
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/{seeded['case_id']}")
    assert page.locator(".facts dt", has_text="Kontrastmedelsallergi").count() == 1
    assert page.evaluate(OVERLAPS) == []
