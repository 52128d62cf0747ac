"""Layout on the department's tablets, measured in the browser (boxes, focus, attributes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from webapp.extensions import db
from webapp.models import Case, utcnow

from ..factories import DEMO_PIN
from .conftest import LANDSCAPE, PORTRAIT, assert_no_horizontal_scroll, check_accessibility, login
from .seed import akut_case, seed_case

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


LABELS_OVERLAP = """() => {
  const boxes = [...document.querySelectorAll('.filters label')].map(l => {
    const r = document.createRange(); r.selectNodeContents(l); return r.getBoundingClientRect(); });
  const out = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    if (!(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top))
      out.push(i);
  }));
  return out;
}"""


@pytest.mark.parametrize("viewport", [IPAD_PORTRAIT, ANDROID])
def test_access_log_fits_the_tablet(
    page: Page, live_server, make_staff, viewport: dict[str, int]
) -> None:
    make_staff(username="adm", role="admin", display_name="Ada Admin")
    page.set_viewport_size(viewport)
    login(page, live_server.url, "adm")
    page.goto(f"{live_server.url}/admin/audit")
    expect(page.locator("tbody tr").first).to_contain_text("Inloggning")
    assert_no_horizontal_scroll(page)
    assert page.evaluate(LABELS_OVERLAP) == []
    check_accessibility(page)


SMALL_TARGETS = """sel => [...document.querySelectorAll(sel)]
  .map(e => e.getBoundingClientRect()).filter(r => r.height < 44).map(r => r.height)"""


def test_list_links_and_summaries_are_tall_enough_to_tap(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app, sign="")
    make_staff(username="sek", role="secretary", display_name="Siv Sekreterare")
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "sek")
    page.goto(f"{live_server.url}/incidents/")
    assert page.locator("td a").count() >= 1
    assert page.evaluate(SMALL_TARGETS, "td a") == []
    page.goto(f"{live_server.url}/catchup/cases/{seeded['case_id']}")
    assert page.locator("summary").count() >= 1
    assert page.evaluate(SMALL_TARGETS, "summary") == []


# The control's middle against the middle of its text, for each radio and checkbox label.
OFF_CENTRE = """() => [...document.querySelectorAll('.form label.choice, .form label.check')]
  .filter(l => l.offsetParent !== null)
  .map(l => { const i = l.querySelector('input').getBoundingClientRect();
              const t = l.querySelector('span').getBoundingClientRect();
              return Math.abs((i.top + i.bottom) / 2 - (t.top + t.bottom) / 2); })
  .filter(d => d > 2)"""


def test_radio_and_checkbox_sit_level_with_their_text(page: Page, live_server, make_staff) -> None:
    make_staff(username="rsk", role="radiographer", display_name="Rut Röntgen")
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "rsk")
    page.goto(f"{live_server.url}/incidents/new")
    assert page.locator(".form label.choice").count() > 0
    assert page.evaluate(OFF_CENTRE) == []


def test_error_summary_link_shows_the_field_with_its_label(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    page.get_by_role("button", name="Spara remissen").tap()
    link = page.locator("#error-summary a", has_text="Remitterande enhet")
    link.tap()
    expect(page.locator("#referrer_unit")).to_be_focused()
    label = page.locator("label[for='referrer_unit']").bounding_box()
    assert label and label["y"] >= 0, label


def test_draft_list_shows_the_save_time_on_one_line(page: Page, live_server, live_app) -> None:
    from webapp.drafts.services import save_draft
    from webapp.extensions import db
    from webapp.models import User

    seeded = seed_case(live_app, sign="")
    with live_app.app_context():
        staff = db.session.query(User).filter_by(username="seed-rsk").one()
        name = "Maria Elisabet Andersson-Lindqvist, akutmottagningen"
        save_draft(
            form_key="layoutdraft-" + "x" * 12,
            kind="referral",
            user=staff,
            incident_id=seeded["incident_id"],
            case_id=None,
            data={"patient_name": name},
            label=name,
            seq=1,
        )
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/drafts")
    cell = page.locator("tbody tr td").nth(1)
    expect(cell).to_contain_text(":")
    lines = cell.evaluate(
        "td => { const r = document.createRange(); r.selectNodeContents(td);"
        " return r.getClientRects().length; }"
    )
    assert lines == 1


PHONE = {"width": 390, "height": 844}


def test_board_and_worklist_rows_fit_a_phone(page: Page, live_server, live_app) -> None:
    seed_case(live_app, sign="")
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/board/")
    expect(page.locator(".board-link")).to_have_count(1)
    assert_no_horizontal_scroll(page)
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/")
    expect(page.locator(".board-link")).to_have_count(1)
    assert_no_horizontal_scroll(page)


# How many lines the element's text takes, and whether it stays inside its row.
WAIT_LINES = """e => {
  const r = document.createRange(); r.selectNodeContents(e);
  const lines = new Set([...r.getClientRects()].map(b => Math.round(b.top))).size;
  const text = r.getBoundingClientRect(), row = e.closest('.board-link').getBoundingClientRect();
  return { lines, inside: text.left >= row.left && text.right <= row.right };
}"""


@pytest.mark.parametrize(
    "viewport",
    [{"width": 320, "height": 640}, PORTRAIT, LANDSCAPE, IPAD_LANDSCAPE],
    ids=["320", "portrait", "landscape", "ipad-landscape"],
)
def test_the_longest_waits_read_on_one_line_on_the_board_and_the_worklist(
    page: Page, live_server, live_app, viewport: dict[str, int]
) -> None:
    # "12 d 23 h" broken as "12 d 23" over "h" reads as 23 minutes.
    seeded = seed_case(live_app, sign="")
    second = akut_case(live_app, seeded["incident_id"])
    now = utcnow()
    with live_app.app_context():
        # Set here, not through the form: an arrival that long before the outage is refused.
        for case_id, waited in (
            (seeded["case_id"], timedelta(days=12, hours=23, minutes=30)),
            # "23 h 58 min" for the next 55 seconds: as wide as a wait under a day gets.
            (second, timedelta(hours=23, minutes=58, seconds=5)),
        ):
            case = db.session.get(Case, case_id)
            case.referral.arrived_at = now - waited
        db.session.commit()
    page.set_viewport_size(viewport)
    shown: dict[str, set[str]] = {}
    for username, path in (("seed-rsk", "/board/"), ("seed-rad", "/reporting/")):
        login(page, live_server.url, username)
        page.goto(f"{live_server.url}{path}")
        waits = page.locator(".b-wait")
        expect(waits.first).to_be_visible()
        shown[path] = set(waits.all_inner_texts())
        for i in range(waits.count()):
            assert waits.nth(i).evaluate(WAIT_LINES) == {"lines": 1, "inside": True}, path
        assert_no_horizontal_scroll(page)
    assert shown["/board/"] == {"12 d 23 h", "23 h 58 min"}
    assert "12 d 23 h" in shown["/reporting/"]


def test_board_row_of_a_signed_case_has_no_frame_of_its_own(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app)
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/board/")
    row = page.locator("li.board-row.status-report_definitive")
    expect(row).to_have_count(1)
    assert row.evaluate("li => getComputedStyle(li).borderTopStyle") == "none"
    pill = row.locator(".b-status .status-report_definitive")
    assert pill.evaluate("s => getComputedStyle(s).borderTopStyle") == "double"


def test_reporting_screen_fits_a_phone_and_keeps_the_number_whole(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    expect(page.locator(".patient-id strong")).to_have_text("19121212-1212")
    assert_no_horizontal_scroll(page)
    lines = page.locator(".patient-id strong").evaluate(
        "s => { const r = document.createRange(); r.selectNodeContents(s);"
        " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    )
    assert lines == 1


@pytest.mark.parametrize(
    ("username", "role", "path"),
    [
        ("adm", "admin", "/admin/users"),
        ("adm", "admin", "/reporting/templates"),
        ("rsk", "radiographer", "/incidents/"),
    ],
)
def test_tables_scroll_inside_their_box_on_a_phone(
    page: Page, live_server, live_app, make_staff, username: str, role: str, path: str
) -> None:
    seed_case(live_app)
    make_staff(username=username, role=role, display_name="Åsa Användare-Långnamnsson")
    page.set_viewport_size(PHONE)
    login(page, live_server.url, username)
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("table.table")).to_have_count(1)
    assert_no_horizontal_scroll(page)
    check_accessibility(page)


def test_catchup_case_notes_link_big_enough_to_tap(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app)
    make_staff(username="sek", role="secretary", display_name="Siv Sekreterare")
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "sek")
    page.goto(f"{live_server.url}/catchup/cases/{seeded['case_id']}")
    expect(page.locator(".dispatch-status a")).to_have_count(1)
    assert page.locator("p.hint a[href^='#']").count() >= 1
    assert page.evaluate(SMALL_TARGETS, ".dispatch-status a, p.hint a") == []


def _demo(live_app) -> int:
    """The drill the demo command makes (transfers, releases, exchanges); returns a case id."""
    from webapp.demo import run_demo
    from webapp.extensions import db
    from webapp.models import Case

    with live_app.app_context():
        run_demo(cases=14, pin=DEMO_PIN)
        return db.session.query(Case.id).order_by(Case.id).limit(1).scalar()


@pytest.mark.parametrize(
    "path", ["/routines/transfers", "/routines/releases/billing", "/routines/reviewer/routes"]
)
def test_routine_tables_scroll_inside_their_box_on_a_phone(
    page: Page, live_server, live_app, path: str
) -> None:
    _demo(live_app)
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "demo-admin", DEMO_PIN)
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("table.table tbody tr").first).to_be_visible()
    assert_no_horizontal_scroll(page)


def test_reviewer_case_links_are_big_enough_to_tap(page: Page, live_server, live_app) -> None:
    case_id = _demo(live_app)
    login(page, live_server.url, "demo-rsk1", DEMO_PIN)
    page.goto(f"{live_server.url}/routines/reviewer/cases/{case_id}")
    expect(page.locator("main p a", has_text="Till rutinen")).to_have_count(1)
    assert page.evaluate(SMALL_TARGETS, "main p a") == []


def test_cancelled_case_notice_link_is_big_enough_to_tap(page: Page, live_server, live_app) -> None:
    from webapp.cases.cancelling import cancel_case
    from webapp.extensions import db
    from webapp.models import User

    seeded = seed_case(live_app, sign="")
    with live_app.app_context():
        staff = db.session.query(User).filter_by(username="seed-rsk").one()
        cancel_case(
            case_id=seeded["case_id"], user=staff, reason="Fel patient", confirm_clean_up=True
        )
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/{seeded['case_id']}/exam")
    expect(page.locator(".locked-notice a")).to_have_count(1)
    assert page.evaluate(SMALL_TARGETS, ".locked-notice a") == []


def test_catchup_copy_values_keep_their_width_on_a_phone(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app)
    make_staff(username="sek", role="secretary", display_name="Siv Sekreterare")
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "sek")
    page.goto(f"{live_server.url}/catchup/cases/{seeded['case_id']}")
    number = page.locator("#val-pid")
    expect(number).to_have_text("19121212-1212")
    lines = number.evaluate(
        "s => { const r = document.createRange(); r.selectNodeContents(s);"
        " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    )
    assert lines == 1
    assert_no_horizontal_scroll(page)


STEP_AND_CONTENT = """() => {
  const main = document.querySelector('main');
  const style = getComputedStyle(main);
  const content = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const step = document.querySelector('#steps ~ .checklist .tick').getBoundingClientRect();
  const calls = document.querySelector('#calls').getBoundingClientRect();
  return { content, step: step.width, stepTop: step.top, callsTop: calls.top };
}"""


@pytest.mark.parametrize("viewport", [PORTRAIT, IPAD_PORTRAIT])
def test_routine_steps_take_the_width_of_a_portrait_tablet(
    page: Page, live_server, live_app, viewport: dict[str, int]
) -> None:
    seeded = seed_case(live_app, sign="")
    page.set_viewport_size(viewport)
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/incidents/{seeded['incident_id']}")
    boxes = page.evaluate(STEP_AND_CONTENT)
    # A step is a sentence to read while standing: not wrapped over many lines in half the width.
    assert boxes["step"] >= 0.8 * boxes["content"], boxes
    # The numbers to call follow below the steps, not squeezed beside them.
    assert boxes["callsTop"] > boxes["stepTop"], boxes
    assert_no_horizontal_scroll(page)


def test_routine_steps_keep_the_wider_column_in_landscape(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    page.set_viewport_size(IPAD_LANDSCAPE)
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/incidents/{seeded['incident_id']}")
    boxes = page.evaluate(STEP_AND_CONTENT)
    # Beside the numbers to call, which need less room than the steps' sentences.
    assert boxes["step"] >= 0.5 * boxes["content"], boxes
    calls = page.locator("#calls").bounding_box()
    step = page.locator("#steps ~ .checklist .tick").first.bounding_box()
    assert calls and step and calls["x"] >= step["x"] + step["width"], (calls, step)
    assert_no_horizontal_scroll(page)
