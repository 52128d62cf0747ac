"""Every page each role opens, on a tablet: axe-core (every impact fails) and focus rings."""

from __future__ import annotations

from typing import Any

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from webapp.i18n_en import EN

from ..factories import DEFAULT_PIN, DEMO_PIN
from .a11y_support import USERS, pages_for, plain_pages, seed_drill
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
        # The lang of every page opened: a page left in Swedish in English mode would be read
        # out with Swedish sounds for English words, or the other way round.
        self.languages: set[str] = set()

    def check(self, page: Page, where: str) -> None:
        self.opened += 1
        page.wait_for_load_state("load")
        self.languages.add(page.evaluate("document.documentElement.lang"))
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
    (
        "secretary",
        "/incidents/{incident_id}/followup",
        {"#deviation_number": "AV<1>"},
        "Spara avvikelsenumret",
    ),
]


def _in_english(page: Page) -> None:
    """The page drawn again in English, by the switch in its top bar (the choice is kept)."""
    page.get_by_role("button", name="English", exact=True).tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def _empty_laptop(
    browser: Browser, args: dict[str, Any], app: Flask, base: str, sweep: Sweep, english: bool
) -> None:
    """The pages before any outage: the first administrator's, then the admin's pages empty."""
    from ..factories import make_user

    context = browser.new_context(**args)
    page = context.new_page()
    page.goto(base + "/setup")
    if english:
        _in_english(page)
    sweep.check(page, "/setup")
    with app.app_context():
        make_user(role="admin", username="first-admin")
    _login(page, base, "first-admin", DEFAULT_PIN, english)
    for path in plain_pages(app, "admin"):
        page.goto(base + path)
        sweep.check(page, f"before any outage {path}")
    context.close()


def _login(page: Page, base: str, username: str, pin: str, english: bool) -> None:
    """Logged in from the login page, in English if asked (switched there unless it is)."""
    if not page.url.endswith("/login"):
        page.goto(base + "/login")
    if english and page.evaluate("document.documentElement.lang") != "en":
        _in_english(page)
    words = EN if english else {}
    page.get_by_label(words.get("Användarnamn", "Användarnamn")).fill(username)
    page.get_by_label(words.get("PIN-kod eller lösenord", "PIN-kod eller lösenord")).fill(pin)
    page.get_by_role("button", name=words.get("Logga in", "Logga in")).tap()
    page.wait_for_url(base + "/")


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


def _sweep_every_page(
    browser: Browser, args: dict[str, Any], app: Flask, base: str, english: bool
) -> None:
    sweep = Sweep()
    _empty_laptop(browser, args, app, base, sweep, english)
    drill = seed_drill(app)
    for role, username in USERS.items():
        context = browser.new_context(**args)
        page = context.new_page()
        page.goto(base + "/login")
        if english:
            _in_english(page)
        sweep.check(page, "/login")
        _login(page, base, username, DEMO_PIN, english)
        for _endpoint, path in pages_for(app, role, drill):
            response = page.goto(base + path)
            assert response is not None and response.ok, (role, path, response and response.status)
            sweep.check(page, f"{role} {path}")
        page.goto(base + "/cases/999999")
        sweep.check(page, f"{role} a page that is not there")
        for _role, path, typed, button in (r for r in REFUSED if r[0] == role):
            name = EN[button] if english else button
            _refused(page, base, path.format(**drill.params), typed, name, sweep)
        context.close()
    assert sweep.found == {}, "\n".join(
        f"{k}:\n  " + "\n  ".join(v) for k, v in sweep.found.items()
    )
    # Each page a role opens was opened, most of them read; a shape that hid pages would not.
    assert sweep.opened > 150 and sweep.read > 60, (sweep.opened, sweep.read)
    # Every page says the language it is in: a screen reader reads it with that language's sounds.
    assert sweep.languages == {"en" if english else "sv"}, sweep.languages


def test_every_page_each_role_opens_passes_axe_on_a_tablet(
    browser: Browser, browser_context_args: dict[str, Any], live_app: Flask, live_server: Any
) -> None:
    _sweep_every_page(browser, browser_context_args, live_app, live_server.url, english=False)


def test_every_page_each_role_opens_in_english_passes_axe_on_a_tablet(
    browser: Browser, browser_context_args: dict[str, Any], live_app: Flask, live_server: Any
) -> None:
    # Each role switches to English where a user would, in the top bar, and every page it then
    # opens is read in English: its lang, and its own words for what axe reads (names, labels).
    _sweep_every_page(browser, browser_context_args, live_app, live_server.url, english=True)
