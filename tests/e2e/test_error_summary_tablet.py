"""A refused form's summary on a tablet: its links in the page's order, each one to its field."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import login
from .seed import seed_case

# Where on the page each summary link's field is (None when the link leads nowhere).
TARGETS = """() => [...document.querySelectorAll('#error-summary a')].map(a => {
  const el = document.getElementById(a.getAttribute('href').slice(1));
  return el ? el.getBoundingClientRect().top + window.scrollY : null; })"""


def _refuse_empty(page: Page, base_url: str, path: str, button: str) -> None:
    page.goto(base_url + path)
    page.evaluate("document.querySelectorAll('[required]').forEach(e => e.required = false)")
    page.get_by_role("button", name=button).tap()
    expect(page.locator("#error-summary")).to_be_visible()


@pytest.mark.parametrize(
    ("path", "button"),
    [
        ("/reporting/{case_id}/fax", "Spara faxat utlåtande"),
        ("/reporting/{case_id}/paper", "Spara utlåtande från papper"),
    ],
)
def test_summary_lists_the_fields_in_the_order_of_the_page(
    page: Page, live_server, live_app, path: str, button: str
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    _refuse_empty(page, live_server.url, path.format(**seeded), button)
    where = page.evaluate(TARGETS)
    assert len(where) >= 3, where
    assert None not in where, where
    assert where == sorted(where), where


def test_summary_link_to_a_choice_shows_the_choice(page: Page, live_server, live_app) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    _refuse_empty(
        page, live_server.url, f"/reporting/{seeded['case_id']}/fax", "Spara faxat utlåtande"
    )
    page.locator("#error-summary a", has_text="Signerat som").tap()
    group = page.get_by_role("group", name="Signerat som")
    expect(group.get_by_role("radio").first).to_be_focused()
    legend = group.locator("legend").bounding_box()
    assert legend and legend["y"] >= 0, legend
