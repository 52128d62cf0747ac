"""Each role's main screens on a tablet held either way: targets, width, clipping, console."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page

from ..factories import DEMO_PIN
from .conftest import LANDSCAPE, PORTRAIT, login

# Every visible target at least 44 CSS px each way (a checkbox or radio counts by its label,
# which is what is tapped); a link broken over lines counts by its smallest line. The page no
# wider than the screen, and no label cut off inside its button.
MEASURE = """() => {
  const shown = e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > 0 && s.visibility !== 'hidden'; };
  const name = e => e.tagName.toLowerCase() + ' "' + (e.innerText || e.value || e.name || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 40) + '"';
  const small = [];
  document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')
    .forEach(e => {
      let box = e;
      if (e.type === 'checkbox' || e.type === 'radio') box = e.closest('label') || e;
      if (!shown(box)) return;
      const rects = [...box.getClientRects()];
      const w = Math.min(...rects.map(r => r.width)), h = Math.min(...rects.map(r => r.height));
      if (w < 44 || h < 44) small.push(`${name(e)} ${Math.round(w)}x${Math.round(h)}`);
    });
  const clipped = [...document.querySelectorAll('button, .btn, summary')]
    .filter(e => shown(e) && e.scrollWidth > e.clientWidth + 1).map(name);
  const wide = document.scrollingElement.scrollWidth - window.innerWidth;
  return {small, clipped, wide};
}"""

# Where the patient's two identifiers stand: they must be read before anything is done.
IDENTIFIERS = """() => { const h = document.querySelector('.patient-header');
  if (!h) return null; const r = h.getBoundingClientRect();
  return {text: h.innerText, top: r.top, bottom: r.bottom, height: window.innerHeight}; }"""


class Watch:
    """What the browser complains about: console errors, failed and off-laptop requests."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.seen: list[str] = []
        page.on("console", self._console)
        page.on("requestfailed", self._failed)
        page.on("request", lambda r: self._request(r.url, base_url))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.seen.append(f"console: {message.text}")

    def _failed(self, request: Any) -> None:
        # A poll cut short by the next page load is the browser leaving, not a failure.
        if request.failure != "net::ERR_ABORTED":
            self.seen.append(f"failed: {request.url} {request.failure}")

    def _request(self, url: str, base_url: str) -> None:
        if not url.startswith((base_url + "/", "data:", "blob:")):
            self.seen.append(f"off the laptop: {url}")

    def take(self) -> list[str]:
        seen, self.seen = self.seen, []
        return seen


def _problems(page: Page, where: str) -> list[str]:
    out = []
    for viewport in (PORTRAIT, LANDSCAPE):
        page.set_viewport_size(viewport)
        found = page.evaluate(MEASURE)
        tag = f"{where} @{viewport['width']}"
        out += [f"{tag} small target {s}" for s in found["small"]]
        out += [f"{tag} text cut off in {c}" for c in found["clipped"]]
        if found["wide"] > 0:
            out.append(f"{tag} scrolls sideways by {found['wide']}px")
    page.set_viewport_size(PORTRAIT)
    return out


def _identifiers(page: Page, where: str, case: dict[str, str]) -> list[str]:
    header = page.evaluate(IDENTIFIERS)
    if header is None:
        return [f"{where} shows no patient header"]
    out = [f"{where} header lacks {v!r}" for v in case.values() if v not in header["text"]]
    if header["top"] < 0 or header["bottom"] > header["height"]:
        out.append(f"{where} header not in view when the page opens")
    return out


@pytest.fixture
def drill(live_app: Flask) -> Iterator[dict[str, Any]]:
    """The demo drill, and one case of each kind the screens show differently."""
    from sqlalchemy import select

    from webapp.cases.display import patient_id_display
    from webapp.catchup.identities import earlier_identities
    from webapp.demo import run_demo
    from webapp.extensions import db
    from webapp.models import Case, ImageTransfer

    with live_app.app_context():
        result = run_demo(cases=14, pin=DEMO_PIN)
        cases = db.session.scalars(select(Case).order_by(Case.id)).all()
        by_status: dict[str, Case] = {}
        for c in cases:
            by_status.setdefault(c.status, c)
        renamed = next(iter(earlier_identities(db.session, [c.id for c in cases])))
        transfer = db.session.scalars(
            select(ImageTransfer).where(ImageTransfer.case_id.is_not(None))
        ).first()
        assert transfer is not None

        def ids(case: Case) -> dict[str, str]:
            number = patient_id_display(case)
            return {"name": case.patient_name, "number": number, "code": case.code}

        yield {
            "incident": result.incident_id,
            "transfer": transfer.id,
            "done": by_status["exam_done"].id,
            "signed": by_status["report_definitive"].id,
            "renamed": renamed,
            "ids": {c.id: ids(c) for c in cases},
        }


# Per role: (path, the case it concerns or None). The cases are the drill fixture's keys.
SCREENS: dict[str, list[tuple[str, str | None]]] = {
    "demo-rsk1": [
        ("/", None),
        ("/board/", None),
        ("/cases/new", None),
        ("/cases/{done}", "done"),
        ("/cases/{done}/exam", "done"),
        ("/cases/{renamed}", "renamed"),
        ("/incidents/{incident}", None),
        ("/routines/transfers/{transfer}", None),
    ],
    "demo-rad1": [
        ("/reporting/", None),
        ("/reporting/{done}", "done"),
        ("/reporting/{signed}", "signed"),
        ("/reporting/{signed}/call", "signed"),
        ("/reporting/{done}/paper", "done"),
    ],
    "demo-sek1": [
        ("/catchup/incidents/{incident}", None),
        ("/catchup/cases/{signed}", "signed"),
        ("/catchup/cases/{renamed}", "renamed"),
        ("/scan", None),
    ],
    "demo-admin": [
        ("/admin/", None),
        ("/admin/users", None),
        ("/blanks/", None),
        ("/catchup/incidents/{incident}", None),
        ("/routines/reviewer/queue", None),
    ],
}


@pytest.mark.parametrize("username", list(SCREENS))
def test_main_screens_fit_a_tablet_for_each_role(
    page: Page, live_server, drill: dict[str, Any], username: str
) -> None:
    watch = Watch(page, live_server.url)
    page.goto(live_server.url + "/login")
    problems = _problems(page, "/login")
    login(page, live_server.url, username, DEMO_PIN)
    problems += _problems(page, "/") + watch.take()
    for template, case_key in SCREENS[username]:
        path = template.format(**drill)
        response = page.goto(live_server.url + path)
        assert response is not None and response.ok, (path, response and response.status)
        page.wait_for_load_state("load")
        problems += _problems(page, path)
        if case_key:
            problems += _identifiers(page, path, drill["ids"][drill[case_key]])
        problems += [f"{path} {w}" for w in watch.take()]
    assert problems == []


@pytest.mark.parametrize(
    ("username", "path", "typed", "button"),
    [
        ("demo-rsk1", "/cases/new", {}, "Spara remissen"),
        ("demo-rsk1", "/cases/{done}/exam", {"#dlp_mgycm": "mycket"}, "Spara dokumentationen"),
        ("demo-rad1", "/reporting/{signed}/call", {"#phone_number": "ring"}, "Logga samtalet"),
    ],
)
def test_refused_forms_fit_a_tablet(
    page: Page,
    live_server,
    drill: dict[str, Any],
    username: str,
    path: str,
    typed: dict[str, str],
    button: str,
) -> None:
    watch = Watch(page, live_server.url)
    login(page, live_server.url, username, DEMO_PIN)
    page.goto(live_server.url + path.format(**drill))
    page.evaluate("document.querySelectorAll('[required]').forEach(e => e.required = false)")
    for selector, text in typed.items():
        page.fill(selector, text)
    page.get_by_role("button", name=button, exact=True).tap()
    page.locator("#error-summary").wait_for()
    # The refusal answers 400 on purpose (a form resent by a script sees it failed).
    seen = [w for w in watch.take() if "status of 400" not in w]
    assert _problems(page, path) + seen == []


def test_unbroken_typed_text_wraps_on_a_tablet(
    page: Page, live_server, live_app: Flask, drill: dict[str, Any]
) -> None:
    """A pasted address or a line of dashes in the report, an addendum, the question or the exam
    notes wraps: one long word must not make every page of the case scroll sideways."""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import Addendum, Case, User

    word = "Å" * 300
    with live_app.app_context():
        case = db.session.get(Case, drill["signed"])
        assert case is not None and case.report is not None and case.exam is not None
        case.referral.clinical_question = f"Fråga {word}"
        case.exam.notes = f"Anteckning {word}"
        author = db.session.scalars(select(User).where(User.username == "demo-rad1")).one()
        db.session.add(Addendum(report_id=case.report.id, text=f"Tillägg {word}", author=author))
        db.session.commit()
    login(page, live_server.url, "demo-rad1", DEMO_PIN)
    problems: list[str] = []
    for path in (f"/cases/{drill['signed']}", f"/reporting/{drill['signed']}"):
        page.goto(live_server.url + path)
        assert page.get_by_text(f"Tillägg {word}").count() == 1
        problems += [p for p in _problems(page, path) if "sideways" in p]
    assert problems == []


def test_the_second_look_panel_fits_a_tablet(
    page: Page, live_server, live_app: Flask, drill: dict[str, Any]
) -> None:
    """The panel a report signed as read on the modality shows: its targets are tablet-sized."""
    from webapp.extensions import db
    from webapp.models import Case

    with live_app.app_context():
        case = db.session.get(Case, drill["signed"])
        assert case is not None and case.report is not None
        case.report.read_on = "modality"
        case.report.signatures[-1].read_on = "modality"
        db.session.commit()
    login(page, live_server.url, "demo-rad1", DEMO_PIN)
    path = f"/reporting/{drill['signed']}"
    page.goto(live_server.url + path)
    page.locator("#second-look form").wait_for()
    assert _problems(page, path) == []
