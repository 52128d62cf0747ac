"""Case forms on a tablet: at the end of a long form the patient and draft state stay in view."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import login
from .seed import seed_case

IPAD_PORTRAIT = {"width": 768, "height": 1024}

IDENTITY_IN_VIEW = """() => {
  const line = document.querySelector('.actions-bar .identity-line');
  if (!line) return null;
  const shown = el => { const b = el.getBoundingClientRect();
    return b.width > 0 && b.top >= 0 && b.bottom <= window.innerHeight; };
  return { name: shown(line.querySelector('.id-name')), code: shown(line.querySelector('.id-code')),
           number: shown(line.querySelector('.id-number')), text: line.textContent };
}"""


def test_patient_and_draft_state_are_in_view_at_the_end_of_every_case_form(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "seed-rad")
    case_url = f"{live_server.url}/cases/{seeded['case_id']}"
    report_url = f"{live_server.url}/reporting/{seeded['case_id']}"
    for url in (f"{case_url}/referral", f"{report_url}/fax", f"{report_url}/paper"):
        page.goto(url)
        last = page.locator("form.clinical textarea").last
        last.tap()
        last.type("x")
        # The header's number is out of view (the short fax form leaves its lower edge showing).
        assert (
            page.locator(".patient-header .patient-id").evaluate(
                "e => e.getBoundingClientRect().bottom"
            )
            < 0
        ), url

        shown = page.evaluate(IDENTITY_IN_VIEW)
        assert shown is not None, url
        assert shown["name"] and shown["code"] and shown["number"], (url, shown)
        assert "Örjan Älvström" in shown["text"]
        assert "19121212-1212" in shown["text"]
        status = page.locator(".draft-status")
        expect(status).to_contain_text("Utkast sparat på datorn")
        box = status.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 1024, (url, box)


# The field just behind the sticky action bar, and the field before it focused without scrolling.
BEHIND_THE_BAR = """([before, field]) => {
  const bar = document.querySelector('.actions-bar');
  const target = document.getElementById(field);
  window.scrollBy(0, target.getBoundingClientRect().top - bar.getBoundingClientRect().top - 10);
  document.getElementById(before).focus({ preventScroll: true });
}"""
COVERED = """() => {
  const field = document.activeElement.getBoundingClientRect();
  return field.bottom > document.querySelector('.actions-bar').getBoundingClientRect().top;
}"""


def test_next_field_is_never_hidden_behind_the_action_bar(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/{seeded['case_id']}/exam")
    page.evaluate(BEHIND_THE_BAR, ["radiographers", "modality_temp_id"])
    assert page.evaluate(COVERED) is False  # the field before is in view
    # The tablet keyboard's "next" key: the temporary ID typed next must be seen while typed.
    page.keyboard.press("Tab")
    expect(page.locator("#modality_temp_id")).to_be_focused()
    assert page.evaluate(COVERED) is False


def _woman_of_60_turning_61_soon() -> str:
    """A woman's personnummer (12 digits) who is 60 today and turns 61 within days."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from webapp.identity import luhn_check_digit

    today = datetime.now(ZoneInfo("Europe/Stockholm")).date()
    for ahead in (1, 2):
        birthday = today + timedelta(days=ahead)
        if (birthday.month, birthday.day) != (2, 29):
            born = birthday.replace(year=birthday.year - 61)
            nine = born.strftime("%y%m%d") + "242"
            return f"{born:%Y%m%d}-242{luhn_check_digit(nine)}"
    raise AssertionError("unreachable")


def test_the_pregnancy_question_counts_the_age_on_the_site_date_on_a_tablet_left_on_utc(
    utc_tablet: Page, live_server, live_app
) -> None:
    from datetime import UTC, datetime, time
    from zoneinfo import ZoneInfo

    from webapp.identity import luhn_check_digit

    site = ZoneInfo("Europe/Stockholm")
    today = datetime.now(site).date()
    if (today.month, today.day) == (2, 29):
        today = today.replace(day=28)  # a birthday every year has
    # Half past midnight at the site: on UTC the tablet is still on yesterday, when she was 9.
    tablet_now = datetime.combine(today, time(0, 30), tzinfo=site).astimezone(UTC)
    born = today.replace(year=today.year - 10)
    nine = born.strftime("%y%m%d") + "242"
    girl = f"{born:%Y%m%d}-242{luhn_check_digit(nine)}"

    seed_case(live_app, sign="")
    tablet = utc_tablet
    login(tablet, live_server.url, "seed-rsk")
    tablet.goto(f"{live_server.url}/cases/new")
    tablet.clock.set_fixed_time(tablet_now)
    tablet.get_by_role("textbox", name="Personnummer").fill(girl)
    tablet.get_by_role("combobox", name="Undersökning").fill("hjärna utan")
    tablet.get_by_role("option", name="DT hjärna utan kontrast (CT)").tap()
    expect(tablet.get_by_role("group", name="Graviditet")).to_be_visible()


def test_the_pregnancy_question_shows_for_a_woman_of_60_born_late_in_the_year(
    page: Page, live_server, live_app
) -> None:
    # The server asks it up to her 61st birthday; the page must not hide it before then.
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    page.get_by_role("textbox", name="Personnummer").fill(_woman_of_60_turning_61_soon())
    page.get_by_role("combobox", name="Undersökning").fill("hjärna utan")
    page.get_by_role("option", name="DT hjärna utan kontrast (CT)").tap()
    expect(page.get_by_role("group", name="Graviditet")).to_be_visible()

    page.get_by_role("textbox", name="Personnummer").fill("19121212-1212")  # a man
    expect(page.get_by_role("group", name="Graviditet")).to_be_hidden()


def test_the_pregnancy_question_counts_a_29_february_birthday_from_28_february(
    page: Page, live_server, live_app
) -> None:
    # As the server counts it (identity.age_on, beräkningslagen 3 §): born 29 February 2016,
    # she is 10, and asked, on 28 February 2026; the page hid the question until 1 March.
    from datetime import UTC, datetime

    from webapp.identity import luhn_check_digit

    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    page.clock.set_fixed_time(datetime(2026, 2, 28, 12, 0, tzinfo=UTC))
    page.get_by_role("combobox", name="Undersökning").fill("hjärna utan")
    page.get_by_role("option", name="DT hjärna utan kontrast (CT)").tap()
    girl = f"20160229-242{luhn_check_digit('160229242')}"
    page.get_by_role("textbox", name="Personnummer").fill(girl)
    expect(page.get_by_role("group", name="Graviditet")).to_be_visible()


def test_now_sends_the_instant_it_stamped_in_the_hour_the_clocks_repeat(
    utc_tablet: Page, live_server, live_app
) -> None:
    from datetime import UTC, datetime

    seed_case(live_app, sign="")
    tablet = utc_tablet
    login(tablet, live_server.url, "seed-rsk")
    tablet.goto(f"{live_server.url}/cases/new")
    # 02:30 winter time in Stockholm, the second time the clocks show 02:30 that night.
    tablet.clock.set_fixed_time(datetime(2025, 10, 26, 1, 30, tzinfo=UTC))
    tablet.get_by_role("button", name="Nu: Mottagen").tap()
    expect(tablet.locator("#arrived_at")).to_have_value("2025-10-26T02:30")
    instant = tablet.locator("input[name='arrived_at_utc']")
    expect(instant).to_have_value("2025-10-26T01:30:00.000Z")

    # A time changed by hand is not the instant the button stamped.
    tablet.locator("#arrived_at").fill("2025-10-26T02:40")
    expect(instant).to_have_value("")


def _woman_aged(years: int) -> str:
    """A woman's personnummer (12 digits) who is `years` old today, her birthday weeks ago."""
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    from webapp.identity import luhn_check_digit

    weeks_ago = datetime.now(ZoneInfo("Europe/Stockholm")).date() - timedelta(days=40)
    born = date(weeks_ago.year - years, weeks_ago.month, min(weeks_ago.day, 28))
    nine = born.strftime("%y%m%d") + "242"
    return f"{born:%Y%m%d}-242{luhn_check_digit(nine)}"


def test_the_pregnancy_question_follows_the_sites_own_ages(
    page: Page, live_server, live_app
) -> None:
    from webapp.extensions import db
    from webapp.models import Site, utcnow

    seed_case(live_app, sign="")
    with live_app.app_context():
        site = db.session.get(Site, 1)
        ages = "pregnancy_min_age = 10\npregnancy_max_age = 60\n"
        assert ages in site.config_toml
        site.config_toml = site.config_toml.replace(
            ages, "pregnancy_min_age = 12\npregnancy_max_age = 55\n"
        )
        site.updated_at = utcnow()  # the parsed configuration is cached per version
        db.session.commit()
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    page.get_by_role("combobox", name="Undersökning").fill("hjärna utan")
    page.get_by_role("option", name="DT hjärna utan kontrast (CT)").tap()
    question = page.get_by_role("group", name="Graviditet")
    number = page.get_by_role("textbox", name="Personnummer")
    for years, asked in ((11, False), (12, True), (55, True), (56, False)):
        number.fill(_woman_aged(years))
        if asked:
            expect(question).to_be_visible()
        else:
            expect(question).to_be_hidden()
