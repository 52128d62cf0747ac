"""What changes on a page after it opened: read by axe in that state, and heard as it changes.

The sweep (test_a11y_sweep.py) reads every page as it opens; these are the states a tap, a
refresh or a lost connection brings: the exam picker's suggestions, the board's refresh and its
"not updated since", a form's notices without the laptop, and the copy buttons' feedback.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import check_accessibility, login
from .live_support import announced, watch_announcements
from .referral_support import fill_referral
from .seed import akut_case, seed_case


def _heard(page: Page, word: str) -> list[str]:
    """What was said with the word in it, once something was (a pause after typing)."""
    page.wait_for_function(
        "w => window.__announced.some(([, text]) => text.includes(w))", arg=word, timeout=3000
    )
    return [text for _level, text in announced(page) if word in text]


def test_the_exam_picker_open_is_a_combobox_that_says_how_many_it_found(
    page: Page, live_server: Any, live_app: Flask
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    watch_announcements(page)
    picker = page.get_by_role("combobox", name="Undersökning")
    picker.press_sequentially("hjärna")
    listbox = page.get_by_role("listbox", name="Undersökningar")
    expect(listbox).to_be_visible()
    expect(picker).to_have_attribute("aria-expanded", "true")
    expect(picker).to_have_attribute("aria-controls", "exam-options")
    options = listbox.get_by_role("option")
    found = options.count()
    assert found >= 2, found
    check_accessibility(page, every_impact=True)
    # Typing moves no focus into the list: how many there are is said, once typing pauses.
    assert _heard(page, "förslag") == [f"{found} förslag. Välj med pil upp och ned."]

    picker.press("ArrowDown")
    expect(picker).to_have_attribute("aria-activedescendant", "exam-option-0")
    expect(options.first).to_have_attribute("aria-selected", "true")
    picker.press("ArrowDown")
    expect(picker).to_have_attribute("aria-activedescendant", "exam-option-1")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.first).to_have_attribute("aria-selected", "false")
    expect(picker).to_be_focused()
    check_accessibility(page, every_impact=True)

    picker.press("Escape")
    expect(listbox).to_be_hidden()
    expect(picker).to_have_attribute("aria-expanded", "false")
    assert picker.get_attribute("aria-activedescendant") is None

    picker.fill("")
    picker.press_sequentially("zzzz")
    expect(picker).to_have_attribute("aria-expanded", "false")
    assert _heard(page, "förslag") == ["Inga förslag – fritext går också."]


def _another_outage(app: Flask, scenario: str = "pacs", *, is_drill: bool = False) -> int:
    """Another incident, begun an hour ago: the one seeded stays the tablet's (the newest)."""
    from datetime import timedelta

    from webapp.extensions import db
    from webapp.incidents.services import declare_incident
    from webapp.models import User, utcnow
    from webapp.sites import site_config

    with app.app_context():
        staff = db.session.query(User).filter_by(username="seed-rsk").one()
        return declare_incident(
            user=staff,
            config=site_config(staff.site),
            scenario=scenario,
            is_drill=is_drill,
            started_at=utcnow() - timedelta(hours=1),
        ).id


def _refresh(page: Page) -> None:
    with page.expect_response(lambda r: "/board/rows" in r.url):
        page.clock.run_for(10_000)
    page.evaluate("() => 0")  # the new rows are in before anything is read


def test_the_board_refresh_says_nothing_and_keeps_the_focus_where_it_was(
    page: Page, live_server: Any, live_app: Flask
) -> None:
    seeded = seed_case(live_app, sign="")
    # An earlier outage with a patient still waiting: its alert is on the board's rows.
    akut_case(live_app, _another_outage(live_app), patient_id="199001012385", key="other")
    login(page, live_server.url, "seed-rsk")
    page.clock.install()
    page.goto(f"{live_server.url}/board/")
    rows = page.locator(".board-row")
    expect(rows).to_have_count(1)
    other = page.get_by_role("alert").filter(has_text="Ett annat driftstopp pågår också")
    expect(other).to_be_visible()
    row = rows.first.get_by_role("link")
    href = row.get_attribute("href")
    row.focus()
    watch_announcements(page)

    # A new akut case comes in and goes above the row the keyboard is on.
    akut_case(live_app, seeded["incident_id"])
    _refresh(page)
    expect(rows).to_have_count(2)
    expect(page.locator(f".board-row a[href='{href}']")).to_be_focused()
    _refresh(page)
    expect(page.locator(f".board-row a[href='{href}']")).to_be_focused()
    # Nothing is read out: not the new row, not the other outage's alert put in again, not the
    # time of the refresh (a region that speaks every ten seconds drowns out the rest).
    assert announced(page) == []
    expect(page.locator("#board [role=status], #board [aria-live]")).to_have_count(0)
    check_accessibility(page, every_impact=True)

    # The other outage's button keeps the focus too.
    button = other.get_by_role("button", name="Arbeta i det driftstoppet")
    button.focus()
    _refresh(page)
    expect(button).to_be_focused()
    assert announced(page) == []


def _cancel(app: Flask, href: str) -> None:
    """The case of a board row cancelled on the laptop: it leaves the board's active list."""
    from webapp.cases.cancelling import cancel_case
    from webapp.extensions import db
    from webapp.models import User

    with app.app_context():
        staff = db.session.query(User).filter_by(username="seed-rsk").one()
        cancel_case(
            case_id=int(href.rsplit("/", 1)[1]),
            user=staff,
            reason="Fel patient.",
            confirm_clean_up=True,  # its images are in PACS
        )


def test_a_focused_row_that_leaves_the_board_hands_the_focus_on_and_says_which_case_left(
    page: Page, live_server: Any, live_app: Flask
) -> None:
    seeded = seed_case(live_app, sign="")
    akut_case(live_app, seeded["incident_id"])
    akut_case(live_app, seeded["incident_id"], patient_id="199001012385", key="third")
    login(page, live_server.url, "seed-rsk")
    page.clock.install()
    page.goto(f"{live_server.url}/board/")
    links = page.locator(".board-row a")
    expect(links).to_have_count(3)
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(3)]
    codes = [links.nth(i).locator(".b-code").inner_text() for i in range(3)]
    watch_announcements(page)

    # The middle row goes: the focus goes on to the row that took its place.
    links.nth(1).focus()
    _cancel(live_app, hrefs[1])
    _refresh(page)
    expect(links).to_have_count(2)
    expect(page.locator(f".board-row a[href='{hrefs[2]}']")).to_be_focused()
    assert announced(page) == [("polite", f"Ärendet {codes[1]} finns inte längre på tavlan.")]
    check_accessibility(page, every_impact=True)

    # The last row goes: there is none after it, so the focus goes back to the one before.
    _cancel(live_app, hrefs[2])
    _refresh(page)
    expect(links).to_have_count(1)
    expect(page.locator(f".board-row a[href='{hrefs[0]}']")).to_be_focused()
    assert announced(page) == [("polite", f"Ärendet {codes[2]} finns inte längre på tavlan.")]

    # The only row goes: the board's heading has the focus, and Tab goes on from there.
    _cancel(live_app, hrefs[0])
    _refresh(page)
    expect(links).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    assert announced(page) == [("polite", f"Ärendet {codes[0]} finns inte längre på tavlan.")]
    _refresh(page)  # nothing more left, nothing more said
    assert announced(page) == []
    check_accessibility(page, every_impact=True)


def test_the_board_says_once_that_it_is_old(page: Page, live_server: Any, live_app: Flask) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.clock.install()
    page.goto(f"{live_server.url}/board/")
    row = page.locator(".board-row a").first
    row.focus()
    watch_announcements(page)
    page.route("**/board/rows**", lambda route: route.abort("connectionrefused"))
    for _ in range(3):
        page.clock.run_for(10_000)
        page.evaluate("() => 0")
    stale = page.get_by_role("alert").filter(has_text="Tavlan är inte uppdaterad sedan")
    expect(stale).to_be_visible()
    said = announced(page)
    assert len(said) == 1 and said[0][0] == "assertive", said
    assert said[0][1].startswith("Tavlan är inte uppdaterad sedan"), said
    expect(row).to_be_focused()
    check_accessibility(page, every_impact=True)


def test_a_form_without_the_laptop_says_so_and_passes_axe(
    page: Page, live_server: Any, live_app: Flask
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    fill_referral(page, "Nätlös Nilsson")
    status = page.locator("#referral-form .draft-status")
    expect(status).to_contain_text("Utkast sparat på datorn")
    watch_announcements(page)

    page.context.set_offline(True)
    expect(page.locator("#net-status")).to_be_visible()
    page.get_by_role("textbox", name="Frågeställning").fill("Blödning? Fallit.")
    expect(status).to_contain_text("Ingen kontakt")
    said = _heard(page, "Ingen kontakt")
    assert any(t.startswith("Ingen kontakt med datorn. Det du") for t in said), said
    check_accessibility(page, every_impact=True)

    page.get_by_role("button", name="Spara remissen").tap()
    refused = page.get_by_role("alert").filter(has_text="Inte sparat: ingen kontakt med datorn")
    expect(refused).to_be_visible()
    assert _heard(page, "Inte sparat") == [refused.inner_text()]
    check_accessibility(page, every_impact=True)


def test_the_autosave_status_is_heard_when_its_state_changes_not_at_every_save(
    page: Page, live_server: Any, live_app: Flask
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.clock.install()
    page.goto(f"{live_server.url}/cases/new")
    status = page.locator("#referral-form .draft-status")
    question = page.get_by_role("textbox", name="Frågeställning")
    watch_announcements(page)

    def save(text: str) -> str:
        """Typed, and saved after the pause; the status the save shows."""
        before = status.inner_text()
        question.fill(text)
        with page.expect_response(lambda r: "/api/drafts/" in r.url):
            page.clock.run_for(2000)
        expect(status).not_to_have_text(before)
        return status.inner_text()

    first = save("Blödning?")
    second = save("Blödning? Fallit.")
    # The status shown says when each save was made; a screen reader hears the first only.
    assert first.startswith("Utkast sparat på datorn") and second != first, (first, second)
    assert announced(page) == [("polite", first)]

    page.context.set_offline(True)
    question.fill("Blödning? Fallit i trappa.")
    page.clock.run_for(2000)
    expect(status).to_contain_text("Ingen kontakt")
    page.clock.run_for(5000)  # tried again, and again without the laptop: heard once
    page.evaluate("() => 0")
    offline = [text for _level, text in announced(page) if "utkastet" in text]
    assert offline == [status.inner_text()], offline

    page.context.set_offline(False)
    with page.expect_response(lambda r: "/api/drafts/" in r.url):
        page.clock.run_for(5000)
    expect(status).to_contain_text("Utkast sparat på datorn")
    back = [text for _level, text in announced(page) if "utkast" in text.lower()]
    assert back == [status.inner_text()], back
    check_accessibility(page, every_impact=True)


def test_a_template_not_changed_without_the_laptop_is_heard(
    page: Page, live_server: Any, live_app: Flask
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    page.get_by_role("textbox", name="Fynd").fill("Liten subduralblödning höger.")
    status = page.locator("#report-form .draft-status")
    expect(status).to_contain_text("Utkast sparat på datorn")
    watch_announcements(page)

    page.context.set_offline(True)
    # Typed since the last save: the page must send it before the template is changed.
    page.get_by_role("textbox", name="Bedömning").fill("Akut subduralhematom.")
    page.locator("#template").select_option(label="DT thorax-buk")
    expect(status).to_have_text(
        "Ingen kontakt med datorn – mallen byttes inte, så att texten ligger kvar."
    )
    # Said last, after the save that could not be made: what the user tried did not happen.
    said = [text for _level, text in announced(page) if "Ingen kontakt" in text]
    assert said[-1] == status.inner_text(), said
    expect(page.get_by_role("textbox", name="Fynd")).to_have_value("Liten subduralblödning höger.")
    check_accessibility(page, every_impact=True)


def test_a_form_whose_outage_closed_says_so_assertively(
    page: Page, live_server: Any, live_app: Flask
) -> None:
    from .test_drafts_late_journey import _end_incident

    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    _end_incident(live_app)
    watch_announcements(page)
    page.get_by_role("textbox", name="Namn", exact=True).fill("Sen Sendberg")
    status = page.locator("#referral-form .draft-status")
    expect(status).to_contain_text("Driftstoppet är avslutat")
    # A region's own aria-live="polite" would outweigh the alert's role.
    said = announced(page)
    levels = {level for level, text in said if "Driftstoppet är avslutat" in text}
    assert levels == {"assertive"}, said
    check_accessibility(page, every_impact=True)


def test_a_real_outage_beside_the_drill_is_an_alert_that_stays_put_on_the_board(
    page: Page, live_server: Any, live_app: Flask
) -> None:
    seed_case(live_app, sign="")
    drill = _another_outage(live_app, "integration", is_drill=True)
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/incidents/{drill}")
    work_here = page.get_by_role("button", name="Arbeta i det här driftstoppet")
    work_here.tap()
    # Gone once the laptop took the choice: leaving the page before would abort the POST on a
    # busy machine, and the board would be the real outage's.
    expect(work_here).to_have_count(0)
    page.clock.install()
    page.goto(f"{base}/board/")
    real = page.get_by_role("alert").filter(has_text="Ett verkligt driftstopp pågår")
    expect(real).to_be_visible()
    expect(real.get_by_role("button", name="Arbeta i det verkliga driftstoppet")).to_be_visible()
    check_accessibility(page, every_impact=True)
    watch_announcements(page)
    _refresh(page)
    assert announced(page) == []


def test_a_copy_button_says_it_copied(
    page: Page, live_server: Any, live_app: Flask, make_staff: Any
) -> None:
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, live_server.url, "sek1")
    page.goto(f"{live_server.url}/catchup/cases/{seeded['case_id']}")
    watch_announcements(page)
    button = page.locator(".copy-btn[data-copy='val-pid']")
    button.focus()
    button.press("Enter")
    expect(button).to_have_text("Kopierat")
    assert _heard(page, "Kopierat") == ["Kopierat: Personnummer"]
    expect(button).to_be_focused()
    check_accessibility(page, every_impact=True)


def test_the_exam_pickers_suggestions_on_an_english_page_are_marked_swedish(
    page: Page, live_server: Any, live_app: Flask
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    page.get_by_role("button", name="English", exact=True).tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("#exam_text").press_sequentially("hjärna")
    options = page.locator("#exam-options").get_by_role("option")
    expect(options.first).to_be_visible()
    # The catalogue's names are the site's Swedish: read with Swedish sounds (WCAG 3.1.2).
    assert {o.get_attribute("lang") for o in options.all()} == {"sv"}
    check_accessibility(page, every_impact=True)
