"""A phone, and a tablet zoomed to 200 %: every action stays on the screen and can be tapped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from ..factories import DEMO_PIN
from .conftest import check_accessibility, login

PHONE = {"width": 390, "height": 844}
# A 1280 x 800 tablet at 200 % zoom lays the page out in 640 x 400 CSS px.
ZOOMED = {"width": 640, "height": 400}
NARROW = [pytest.param(PHONE, id="phone"), pytest.param(ZOOMED, id="zoomed")]
# The narrowest screen a page is laid out for (WCAG 1.4.10: 320 CSS px, as a 1280 px screen
# at 400 %).
SMALLEST = {"width": 320, "height": 568}

# Each visible target whose box reaches past either side of the screen, or is under 44 px.
# The body hides what is wider than the screen, so such a target cannot be scrolled to.
OFF_SCREEN = """sel => {
  const out = [];
  document.querySelectorAll(sel).forEach(e => {
    // A checkbox or radio is tapped by its label.
    const box = ['checkbox', 'radio'].includes(e.type) ? e.closest('label') || e : e;
    const r = box.getBoundingClientRect(), s = getComputedStyle(box);
    if (r.width === 0 || r.height === 0 || s.visibility === 'hidden') return;
    if (e.closest('.sr-only, .skip-link')) return;
    const name = (e.innerText || e.value || '').trim().replace(/\\s+/g, ' ').slice(0, 30);
    if (r.left < 0 || r.right > window.innerWidth) out.push(`${name} ${r.left}..${r.right}`);
    else if (r.width < 44 || r.height < 44) out.push(`${name} ${r.width}x${r.height}`);
  });
  return out;
}"""
TARGETS = "main a[href], main button, main summary, main input:not([type=hidden]), main select"


def _wide(page: Page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.fixture
def drill(live_app: Flask) -> Iterator[dict[str, Any]]:
    """The demo drill, and two drafts left on the laptop: a new referral and a documentation."""
    from sqlalchemy import select

    from webapp.demo import run_demo
    from webapp.drafts.services import save_draft
    from webapp.extensions import db
    from webapp.models import Case, User

    with live_app.app_context():
        result = run_demo(cases=14, pin=DEMO_PIN)
        staff = db.session.scalars(select(User).filter_by(username="demo-rsk1")).one()
        case = db.session.scalars(select(Case).order_by(Case.id)).first()
        assert case is not None
        save_draft(
            form_key="narrowref-" + "x" * 14,
            kind="referral",
            user=staff,
            incident_id=result.incident_id,
            case_id=None,
            data={"patient_name": "Karin Karlsson"},
            label="Karin Karlsson",
            seq=1,
        )
        save_draft(
            form_key="narrowexam-" + "x" * 13,
            kind="exam",
            user=staff,
            incident_id=result.incident_id,
            case_id=case.id,
            data={"room": "DT 1"},
            label="",
            seq=1,
        )
        yield {"incident": result.incident_id, "case": case.id}


@pytest.mark.parametrize("viewport", NARROW)
def test_every_draft_can_be_continued_or_discarded_on_a_narrow_screen(
    page: Page, live_server, drill: dict[str, Any], viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    login(page, live_server.url, "demo-rsk1", DEMO_PIN)
    page.goto(f"{live_server.url}/drafts")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    assert _wide(page) <= 0
    for i in range(2):
        row = rows.nth(i)
        for target in (row.get_by_role("link", name="Fortsätt"), row.locator("summary")):
            expect(target).to_be_visible()
            box = target.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
            assert box["height"] >= 44 and box["width"] >= 44, box
    assert page.evaluate(OFF_SCREEN, TARGETS) == []
    check_accessibility(page, every_impact=True)
    rows.nth(1).locator("summary").tap()
    confirm = rows.nth(1).get_by_role("button", name="Ja, släng utkastet")
    expect(confirm).to_be_visible()
    assert _wide(page) <= 0
    assert page.evaluate(OFF_SCREEN, TARGETS) == []
    rows.filter(has_text="Karin Karlsson").get_by_role("link", name="Fortsätt").tap()
    expect(page.get_by_role("textbox", name="Namn", exact=True)).to_have_value("Karin Karlsson")


NOW_FORMS = ["/cases/new", "/cases/{case}/referral", "/cases/{case}/exam"]


@pytest.mark.parametrize("path", NOW_FORMS)
@pytest.mark.parametrize("viewport", NARROW)
def test_now_buttons_fit_beside_their_fields_on_a_narrow_screen(
    page: Page, live_server, drill: dict[str, Any], viewport: dict[str, int], path: str
) -> None:
    page.set_viewport_size(viewport)
    login(page, live_server.url, "demo-rsk1", DEMO_PIN)
    page.goto(live_server.url + path.format(**drill))
    buttons = page.locator(".now-button")
    assert buttons.count() > 0
    for i in range(buttons.count()):
        button = buttons.nth(i)
        box = button.bounding_box()
        panel = button.locator("xpath=ancestor::*[contains(@class, 'panel')][1]").bounding_box()
        assert box and panel, (box, panel)
        assert box["x"] + box["width"] <= min(panel["x"] + panel["width"], viewport["width"])
        assert box["x"] >= panel["x"] and box["height"] >= 44, (box, panel)
    assert _wide(page) <= 0
    assert page.evaluate(OFF_SCREEN, TARGETS) == []


# The other screens a tablet user works from, with the role that uses each.
SCREENS = [
    ("demo-rsk1", "/board/"),
    ("demo-rsk1", "/incidents/{incident}"),
    ("demo-rsk1", "/cases/{case}"),
    ("demo-sek1", "/catchup/incidents/{incident}"),
    ("demo-sek1", "/catchup/cases/{case}"),
    ("demo-admin", "/incidents/{incident}/followup"),
    ("demo-admin", "/blanks/"),
    ("demo-admin", "/admin/users"),
    # The forms staff fill in a hurry.
    ("demo-rsk1", "/cases/new"),
    ("demo-rsk1", "/cases/{case}/exam"),
    ("demo-rsk1", "/cases/{case}/identity"),
    ("demo-rsk1", "/routines/reviewer/receive"),
    ("demo-rsk1", "/routines/transfers/new"),
    ("demo-rsk1", "/routines/releases/cases/{case}"),
    ("demo-rad1", "/reporting/{case}"),
    ("demo-rad1", "/reporting/{case}/call"),
    ("demo-rad1", "/reporting/{case}/paper"),
    ("demo-sek1", "/scan"),
]


@pytest.mark.parametrize(("username", "path"), SCREENS)
@pytest.mark.parametrize("viewport", [*NARROW, pytest.param(SMALLEST, id="smallest")])
def test_tablet_screens_keep_their_actions_on_a_narrow_screen(
    page: Page,
    live_server,
    drill: dict[str, Any],
    viewport: dict[str, int],
    username: str,
    path: str,
) -> None:
    page.set_viewport_size(viewport)
    login(page, live_server.url, username, DEMO_PIN)
    response = page.goto(live_server.url + path.format(**drill))
    assert response is not None and response.ok
    assert _wide(page) <= 0
    assert page.evaluate(OFF_SCREEN, TARGETS) == []


# Each visible cell of the page's tables whose box reaches past either side of the screen.
CELLS_OFF_SCREEN = """() => {
  const out = [];
  document.querySelectorAll('main table tbody td').forEach(td => {
    const r = td.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || !td.innerText.trim()) return;
    if (r.left < 0 || r.right > window.innerWidth) {
      out.push(`${td.innerText.trim().slice(0, 30)} ${r.left}..${r.right}`);
    }
  });
  return out;
}"""

# The lists whose rows each open something or hold a button: every row, its link and the two
# things that name it (case code and patient, or route), stay on the screen.
LISTS = [
    ("demo-rsk1", "/routines/reviewer"),
    ("demo-admin", "/routines/reviewer/routes"),
    ("demo-sek1", "/routines/releases/billing"),
    ("demo-rsk1", "/routines/transfers?all=1"),
]


@pytest.mark.parametrize(("username", "path"), LISTS)
@pytest.mark.parametrize("viewport", NARROW)
def test_routine_lists_keep_each_row_on_a_narrow_screen(
    page: Page,
    live_server,
    drill: dict[str, Any],
    viewport: dict[str, int],
    username: str,
    path: str,
) -> None:
    page.set_viewport_size(viewport)
    login(page, live_server.url, username, DEMO_PIN)
    response = page.goto(live_server.url + path)
    assert response is not None and response.ok
    assert page.locator("main table tbody tr").count() > 0
    assert _wide(page) <= 0
    assert page.evaluate(OFF_SCREEN, TARGETS) == []
    assert page.evaluate(CELLS_OFF_SCREEN) == []
    check_accessibility(page, every_impact=True)


@pytest.mark.parametrize("viewport", NARROW)
def test_access_log_scrolls_in_its_own_box_on_a_narrow_screen(
    page: Page, live_server, drill: dict[str, Any], viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    login(page, live_server.url, "demo-admin", DEMO_PIN)
    page.goto(f"{live_server.url}/admin/audit")
    assert _wide(page) <= 0
    # Outside the log's own box every target is on the screen; inside it, the box scrolls to
    # them (the outage links of each row), as to its cells below.
    outside = ", ".join(f"{t}:not(.table-wrap *)" for t in TARGETS.split(", "))
    assert page.evaluate(OFF_SCREEN, outside) == []
    box = page.locator("main .table-wrap")
    frame = box.bounding_box()
    assert frame and frame["x"] >= 0 and frame["x"] + frame["width"] <= viewport["width"], frame
    # The log's columns are wider than the screen: the box, not the page, scrolls to them.
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    row = page.locator("main table tbody tr").filter(has=page.locator("td.mono:not(:empty)"))
    code = row.first.locator("td.mono")
    code.scroll_into_view_if_needed()
    expect(code).to_be_in_viewport()
    link = page.locator("main .table-wrap a[href]").last
    link.scroll_into_view_if_needed()
    expect(link).to_be_in_viewport()
    size = link.bounding_box()
    assert size and size["width"] >= 44 and size["height"] >= 44, size
    assert _wide(page) <= 0
    check_accessibility(page, every_impact=True)


# Each element of the selector whose box reaches past its container's box (the container being
# the nearest ancestor matching `within`), with the overflow in px.
SPILLS = """([sel, within]) => {
  const out = [];
  document.querySelectorAll(sel).forEach(e => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return;
    const c = e.parentElement.closest(within).getBoundingClientRect();
    const over = Math.max(c.left - r.left, r.right - c.right);
    if (over > 0.5) out.push(`${(e.innerText || '').trim().slice(0, 30)} ${over}`);
  });
  return out;
}"""

SMALLEST = {"width": 320, "height": 640}


def test_catchup_steps_stay_inside_their_boxes_at_320_px(
    page: Page, live_server, drill: dict[str, Any]
) -> None:
    # The narrowest phone: a step's "Ej gjort" ran out of its button, and the button out of
    # the panel, so the step's state read as the next step's.
    page.set_viewport_size(SMALLEST)
    login(page, live_server.url, "demo-sek1", DEMO_PIN)
    page.goto(f"{live_server.url}/catchup/cases/{drill['case']}")
    ticks = page.locator("button.tick")
    assert ticks.count() == 5
    expect(page.locator(".tick-state").filter(has_text="Ej gjort").first).to_be_visible()
    assert (
        page.evaluate(SPILLS, [".tick .tick-state, .tick .tick-label, .tick .box", ".tick"]) == []
    )
    assert page.evaluate(SPILLS, ["button.tick", ".check-item"]) == []
    assert page.evaluate(SPILLS, [".check-item", ".panel"]) == []
    for i in range(ticks.count()):
        box = ticks.nth(i).bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44, box
    assert _wide(page) <= 0
    assert page.evaluate(OFF_SCREEN, TARGETS) == []
