"""The admin's user list (its locked devices too) and edit page on a 768 px tablet and a
320 px phone: each button is tapped easily and holds its own words; nothing reaches past the
screen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import check_accessibility, login
from .test_narrow_screens import OFF_SCREEN, TARGETS

TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 320, "height": 568}
VIEWPORTS = [pytest.param(TABLET, id="tablet"), pytest.param(PHONE, id="phone")]

# Each visible button or button-styled link whose words reach past its own box.
SPILLED = """() => {
  const out = [];
  document.querySelectorAll('main button, main a.btn, main summary').forEach(e => {
    const box = e.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return;
    const range = document.createRange();
    range.selectNodeContents(e);
    for (const r of range.getClientRects()) {
      if (r.width === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
          || r.bottom > box.bottom + 1) {
        out.push(`${e.innerText.trim().slice(0, 30)} ${box.width}x${box.height}`);
        break;
      }
    }
  });
  return out;
}"""

LONG_NAME = "Maria-Magdalena Andersson-Johansson af Klintberg"


@pytest.fixture
def people(live_app: Flask, make_staff) -> dict[str, int]:
    """The admin, a locked-out user with a long name, and a plain one."""
    from webapp.auth.lockout import account_key
    from webapp.extensions import db
    from webapp.models import FailedLogin, utcnow

    admin = make_staff(role="admin", username="chef")
    locked = make_staff(
        role="radiographer", username="maria.andersson.johansson", display_name=LONG_NAME
    )
    make_staff(role="secretary", username="bo")
    with live_app.app_context():
        db.session.add(
            FailedLogin(
                key=account_key(locked.id, "10.0.0.66"),
                failed_attempts=0,
                last_failed_at=utcnow(),
                locked_until=utcnow() + timedelta(minutes=15),
            )
        )
        db.session.commit()
    return {"admin": admin.id, "locked": locked.id}


def _looks_right(page: Page, viewport: dict[str, int]) -> None:
    wide = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wide <= 0, f"{page.url} scrolls sideways by {wide}px"
    off, spilled = page.evaluate(OFF_SCREEN, TARGETS), page.evaluate(SPILLED)
    if off or spilled:
        page.screenshot(path=f"/dev/shm/wtm-{viewport['width']}.png", full_page=True)
    assert off == [], f"{page.url}: {off}"
    assert spilled == [], f"{page.url}: {spilled}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_user_list_and_edit_pages_fit_and_tap_on_tablet_and_phone(
    page: Page, live_server, people: dict[str, Any], viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    login(page, live_server.url, "chef")
    page.goto(f"{live_server.url}/admin/users")
    # The locked user's unlock button and the admin's own logins are on the list.
    assert page.get_by_role("button", name="Häv spärr", exact=True).count() == 1
    _looks_right(page, viewport)
    check_accessibility(page, every_impact=True)
    for who in ("locked", "admin"):
        page.goto(f"{live_server.url}/admin/users/{people[who]}")
        _looks_right(page, viewport)
    assert page.get_by_role("button", name="Logga ut från alla enheter").count() == 1
    # A refused save (no name) keeps the page as tappable, its error beside the field.
    page.goto(f"{live_server.url}/admin/users/{people['locked']}")
    page.locator("#display_name").fill("")
    page.get_by_role("button", name="Spara").tap()
    expect(page.locator("#display_name-error")).to_be_visible()
    _looks_right(page, viewport)


LONG_ADDRESS = "2001:0db8:85a3:0000:0000:8a2e:0370:7334"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_locked_device_with_a_long_ipv6_address_fits_on_tablet_and_phone(
    page: Page, live_app: Flask, live_server, people: dict[str, Any], viewport: dict[str, int]
) -> None:
    from webapp.auth.lockout import address_key
    from webapp.extensions import db
    from webapp.models import FailedLogin, utcnow

    with live_app.app_context():
        db.session.add(
            FailedLogin(
                key=address_key(LONG_ADDRESS),
                failed_attempts=0,
                last_failed_at=utcnow(),
                locked_until=utcnow() + timedelta(minutes=15),
            )
        )
        db.session.commit()
    page.set_viewport_size(viewport)
    login(page, live_server.url, "chef")
    page.goto(f"{live_server.url}/admin/users")
    expect(page.locator("section", has=page.locator("#address-locks-heading"))).to_contain_text(
        LONG_ADDRESS
    )
    # The table's own region must not scroll sideways either: its button would be out of reach.
    region = page.locator('[aria-labelledby="address-locks-heading"]')
    overflow = region.evaluate("e => e.scrollWidth - e.clientWidth")
    assert overflow <= 0, f"the locked devices' table scrolls sideways by {overflow}px"
    assert page.get_by_role("button", name="Häv spärr för enheten").count() == 1
    _looks_right(page, viewport)
