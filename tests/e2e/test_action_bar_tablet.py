"""The sticky action bar on a tablet: two rows at most, the patient whole, the buttons at hand."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from .conftest import check_accessibility, login
from .seed import seed_case

LANDSCAPE_TABLETS = [
    {"width": 1024, "height": 768},
    {"width": 1180, "height": 820},
    {"width": 1366, "height": 1024},
]
PORTRAIT_TABLETS = [{"width": 768, "height": 1024}, {"width": 820, "height": 1180}]
# A quarter of a landscape tablet's height went to the bar when it took four rows; two is the aim.
MAX_BAR_HEIGHT = 96
# A name too long for its part of the line wraps rather than being cut (a tablet cannot hover for
# a title): at most two more rows of text (0.9rem x 1.3 each) in the reporting screen's column.
MAX_BAR_HEIGHT_LONG_NAME = MAX_BAR_HEIGHT + 40
LONG_NAME = "Karl-Johan Maximilian Östergren-Andersson af Lindqvist"

BAR = """() => {
  const bar = document.querySelector('.actions-bar');
  const b = bar.getBoundingClientRect();
  const inView = r => r.top >= 0 && r.bottom <= window.innerHeight
                      && r.left >= 0 && r.right <= window.innerWidth;
  // Shown whole: not cut by its own box, inside the bar, on screen.
  const whole = el => { const r = el.getBoundingClientRect();
    return r.width > 0 && el.scrollWidth <= el.clientWidth
           && r.left >= b.left - 0.5 && r.right <= b.right + 0.5 && inView(r); };
  const name = bar.querySelector('.id-name');
  const number = bar.querySelector('.id-number').getBoundingClientRect();
  const status = bar.querySelector('.draft-status').getBoundingClientRect();
  return {
    height: b.height,
    code: whole(bar.querySelector('.id-code')),
    number: whole(bar.querySelector('.id-number')),
    numberText: bar.querySelector('.id-number').textContent,
    name: whole(name),
    statusBesideNumber: status.left >= number.right,
    statusInView: inView(status),
    // The confirming button inside the closed "Signera definitivt" is not shown until tapped.
    controls: [...bar.querySelectorAll('.btn')].filter(c => c.getClientRects().length).map(c => {
      const r = c.getBoundingClientRect();
      return { text: c.textContent.trim(), width: r.width, height: r.height, inView: inView(r) };
    }),
  };
}"""


def _type_at_the_end(page: Page) -> dict[str, Any]:
    """Type in the form's last text box, wait for the laptop to have it, and measure the bar."""
    # The form with the bar (the report screen's instruction form autosaves too, below it).
    last = page.locator("form[data-draft-kind]:has(.actions-bar) textarea").last
    last.tap()
    last.type("x")
    expect(page.locator(".actions-bar .draft-status")).to_contain_text(
        "Utkast sparat på datorn", timeout=10000
    )
    assert page.locator(".patient-header").evaluate("e => e.getBoundingClientRect().bottom") < 0
    return page.evaluate(BAR)


def _assert_controls_at_hand(bar: dict[str, Any], where: Any) -> None:
    for control in bar["controls"]:
        assert control["height"] >= 44 and control["width"] >= 44, (where, control)
        assert control["inView"], (where, control)


def _exams_template(app: Any, case_id: int) -> int:
    """The template the exam's report is written in by default (the longest editor here: the
    seeded report itself has two headings and opens under them)."""
    from webapp.extensions import db
    from webapp.models import Case
    from webapp.reporting.library import template_for_exam

    with app.app_context():
        case = db.session.get(Case, case_id)
        template = template_for_exam(case.site_id, case.referral.exam_code, case.modality)
        assert template is not None
        return template.id


def test_reporting_bar_takes_two_rows_on_a_tablet_either_way_round(
    page: Page, live_server, live_app
) -> None:
    # A preliminary report has the longest button label ("Signera preliminärt igen").
    seeded = seed_case(live_app, sign="preliminary")
    template_id = _exams_template(live_app, seeded["case_id"])
    login(page, live_server.url, "seed-rad")
    for viewport in LANDSCAPE_TABLETS + PORTRAIT_TABLETS:
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/reporting/{seeded['case_id']}?template={template_id}")
        bar = _type_at_the_end(page)

        assert bar["height"] <= MAX_BAR_HEIGHT, (viewport, bar["height"])
        assert bar["code"] and bar["number"] and bar["name"], (viewport, bar)
        assert bar["numberText"] == "19121212-1212"
        assert bar["statusInView"] and bar["statusBesideNumber"], (viewport, bar)
        save = page.get_by_role("button", name="Spara utkast").bounding_box()
        assert save and save["y"] >= 0 and save["y"] + save["height"] <= viewport["height"]
        labels = [c["text"] for c in bar["controls"]]
        assert labels == ["Spara utkast", "Signera preliminärt igen", "Signera definitivt"]
        _assert_controls_at_hand(bar, viewport)
        if viewport == LANDSCAPE_TABLETS[0]:
            check_accessibility(page)


def test_long_name_wraps_in_the_bar_and_is_never_cut(page: Page, live_server, live_app) -> None:
    seeded = seed_case(live_app, sign="", patient_name=LONG_NAME)
    page.set_viewport_size(LANDSCAPE_TABLETS[0])
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    bar = _type_at_the_end(page)

    assert bar["height"] <= MAX_BAR_HEIGHT_LONG_NAME, bar["height"]
    assert bar["code"] and bar["number"] and bar["name"], bar
    assert bar["numberText"] == "19121212-1212"
    expect(page.locator(".actions-bar .id-name")).to_have_text(LONG_NAME)
    expect(page.locator(".patient-header .patient-name")).to_have_text(LONG_NAME)


def test_case_form_bars_take_two_rows_on_a_landscape_tablet(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    page.set_viewport_size(LANDSCAPE_TABLETS[0])
    login(page, live_server.url, "seed-rad")
    case_url = f"{live_server.url}/cases/{seeded['case_id']}"
    report_url = f"{live_server.url}/reporting/{seeded['case_id']}"
    for url in (f"{case_url}/exam", f"{case_url}/referral", f"{report_url}/paper"):
        page.goto(url)
        bar = _type_at_the_end(page)

        assert bar["height"] <= MAX_BAR_HEIGHT, (url, bar["height"])
        assert bar["code"] and bar["number"] and bar["name"], (url, bar)
        assert bar["statusInView"] and bar["statusBesideNumber"], (url, bar)
        _assert_controls_at_hand(bar, url)
