"""Every page each role opens, on a tablet: axe-core (every impact fails) and focus rings."""

from __future__ import annotations

from typing import Any

from flask import Flask
from playwright.sync_api import Browser, Page

from .a11y_support import USERS, pages_for, plain_pages, seed_drill
from .conftest import login
from .keyboard_support import unseen_focus

# A page's shape without its data: tags, classes, roles, types and which attributes are set,
# and whether a text is there. The main part and the rest (top bar, banners) are told apart,
# so a page another role saw with the same content, under a top bar already read, is not read
# again: the roles see the same screens with other menus, and axe is the slow part.
SHAPE = """() => {
  const kept = new Set(['class', 'role', 'type', 'hidden', 'disabled', 'open']);
  // Which menu item is the current page changes nothing axe reads.
  const named = n => [...n.attributes].filter(a => a.name !== 'aria-current');
  const shape = (node, skip) => {
    if (node.nodeType === 3) return node.textContent.trim() ? '#' : '';
    if (node.nodeType !== 1 || node === skip) return '';
    const attrs = named(node).map(a => kept.has(a.name) ? a.name + '=' + a.value : a.name);
    return '<' + node.tagName + ' ' + attrs.sort().join(' ') + '>'
      + [...node.childNodes].map(c => shape(c, skip)).join('') + '</>';
  };
  const main = document.querySelector('main');
  return [shape(main || document.body, null), shape(document.body, main)];
}"""
# Folded parts (a case's older versions, a form's rarer fields) are read too.
UNFOLD = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"


def _findings(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(UNFOLD)
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:4])
        # Every impact fails, "minor" and "moderate" too: none is left on any page.
        for v in results.response["violations"]
    ]


class Sweep:
    """Reads each page with axe unless a page of the same shape was read already."""

    def __init__(self) -> None:
        self.mains: set[str] = set()
        self.chromes: set[str] = set()
        self.found: dict[str, list[str]] = {}
        self.opened = 0
        self.read = 0

    def check(self, page: Page, where: str) -> None:
        self.opened += 1
        page.wait_for_load_state("load")
        main, chrome = page.evaluate(SHAPE)
        if main in self.mains and chrome in self.chromes:
            return
        self.mains.add(main)
        self.chromes.add(chrome)
        self.read += 1
        problems = _findings(page) + unseen_focus(page)
        if problems:
            self.found[where] = problems


# Forms refused, so the error summary and the errors beside the fields are read: (role, page,
# what is typed where, the button that sends it). Empty unless a field is typed.
REFUSED: list[tuple[str, str, dict[str, str], str]] = [
    ("radiographer", "/cases/new", {}, "Spara remissen"),
    ("radiographer", "/cases/{case_id}/exam", {"#dlp_mgycm": "mycket"}, "Spara dokumentationen"),
    ("radiographer", "/routines/transfers/new", {}, "Registrera överföringen"),
    ("radiographer", "/routines/reviewer/receive", {}, "Registrera mottaget svar"),
    ("radiographer", "/me/secret", {}, "Spara ny"),
    ("radiologist", "/reporting/{case_id}/fax", {}, "Spara faxat utlåtande"),
    ("secretary", "/cases/{cancelled_id}", {"#fax_number": ""}, "Logga beskedet"),
    ("radiologist", "/reporting/{case_id}/call", {"#phone_number": "ring"}, "Logga samtalet"),
    ("admin", "/admin/users", {}, "Skapa användare"),
]


def _empty_laptop(
    browser: Browser, args: dict[str, Any], app: Flask, base: str, sweep: Sweep
) -> None:
    """The pages before any outage: the first administrator's, then the admin's pages empty."""
    from ..factories import make_user

    context = browser.new_context(**args)
    page = context.new_page()
    page.goto(base + "/setup")
    sweep.check(page, "/setup")
    with app.app_context():
        make_user(role="admin", username="first-admin")
    login(page, base, "first-admin")
    for path in plain_pages(app, "admin"):
        page.goto(base + path)
        sweep.check(page, f"before any outage {path}")
    context.close()


def _refused(
    page: Page, base: str, path: str, typed: dict[str, str], button: str, sweep: Sweep
) -> None:
    page.goto(base + path)
    page.evaluate("document.querySelectorAll('[required]').forEach(e => e.required = false)")
    for selector, text in typed.items():
        page.fill(selector, text)
    page.get_by_role("button", name=button, exact=True).tap()
    page.locator("#error-summary").wait_for()
    sweep.check(page, f"{path} refused")


def test_every_page_each_role_opens_passes_axe_on_a_tablet(
    browser: Browser, browser_context_args: dict[str, Any], live_app: Flask, live_server: Any
) -> None:
    from webapp.demo_data import DEMO_PIN

    sweep = Sweep()
    base = live_server.url
    _empty_laptop(browser, browser_context_args, live_app, base, sweep)
    drill = seed_drill(live_app)
    for role, username in USERS.items():
        context = browser.new_context(**browser_context_args)
        page = context.new_page()
        page.goto(base + "/login")
        sweep.check(page, "/login")
        login(page, base, username, DEMO_PIN)
        for _endpoint, path in pages_for(live_app, role, drill):
            response = page.goto(base + path)
            assert response is not None and response.ok, (role, path, response and response.status)
            sweep.check(page, f"{role} {path}")
        page.goto(base + "/cases/999999")
        sweep.check(page, f"{role} a page that is not there")
        for _role, path, typed, button in (r for r in REFUSED if r[0] == role):
            _refused(page, base, path.format(**drill.params), typed, button, sweep)
        context.close()
    assert sweep.found == {}, "\n".join(
        f"{k}:\n  " + "\n  ".join(v) for k, v in sweep.found.items()
    )
    # Each page a role opens was opened, most of them read; a shape that hid pages would not.
    assert sweep.opened > 150 and sweep.read > 60, (sweep.opened, sweep.read)
