"""Tablets on a flaky Wi-Fi: a silent laptop, a draft thrown away while typed offline, a board
that reorders under a finger or loses the keyboard's place, a tablet clock in another zone."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask
from playwright.sync_api import Page, Route, expect

from .conftest import login
from .seed import akut_case, seed_case


def _stored(app: Flask, key: str) -> dict[str, Any]:
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        draft = db.session.query(Draft).filter_by(form_key=key).one_or_none()
        return dict(draft.data) if draft else {}


def _never_answer(route: Route) -> None:
    """The request left the tablet and nothing comes back (the route is left pending)."""


def test_a_draft_save_the_laptop_never_answers_is_not_shown_as_saved(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    # The page's clock is moved on by hand: the pause before a save, the 8 s limit and the
    # retry are the page's timers, and waiting them out in real time took 15 s a run.
    page.clock.install()
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    status = page.locator("#report-form .draft-status")
    page.get_by_role("textbox", name="Fynd").fill("Ingen blödning.")
    page.clock.run_for(1_600)
    expect(status).to_contain_text("Utkast sparat på datorn")

    page.route("**/api/drafts/**", _never_answer)
    page.get_by_role("textbox", name="Bedömning").fill("Normalt.")
    page.clock.run_for(1_600)  # the save leaves, and nothing comes back
    page.clock.run_for(7_000)
    expect(status).to_contain_text("Utkast sparat på datorn")  # not given up before the limit
    page.clock.run_for(1_100)
    expect(status).to_contain_text("Ingen kontakt")
    expect(status).not_to_contain_text("Utkast sparat")

    page.unroute("**/api/drafts/**")
    page.clock.run_for(5_100)  # the next try
    expect(status).to_contain_text("Utkast sparat på datorn")
    key = page.locator("#report-form input[name='form_key']").input_value()
    deadline = time.monotonic() + 5
    while _stored(live_app, key).get("sections-3-text") != "Normalt.":
        assert time.monotonic() < deadline, _stored(live_app, key)
        time.sleep(0.2)


def test_the_board_says_it_is_old_while_the_laptop_does_not_answer(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.clock.install()
    page.goto(f"{live_server.url}/board/")
    expect(page.locator(".board-row")).to_have_count(1)
    stale = page.get_by_role("alert").filter(has_text="Tavlan är inte uppdaterad")
    expect(stale).to_have_count(0)

    # Wi-Fi still up (the tablet thinks it is online), the laptop silent.
    page.route("**/board/rows**", lambda route: route.abort("connectionrefused"))
    page.clock.run_for(10_500)
    expect(stale).to_be_visible()
    expect(stale).to_contain_text("ingen kontakt med datorn")
    expect(page.locator(".board-row")).to_have_count(1)  # the last rows stay to read

    page.unroute("**/board/rows**")
    page.route("**/board/rows**", lambda route: route.fulfill(status=500, body="fel"))
    page.clock.run_for(10_000)
    expect(stale).to_contain_text("datorn svarade med ett fel")

    # A laptop that takes the request and never answers is no contact either.
    page.unroute("**/board/rows**")
    page.route("**/board/rows**", _never_answer)
    page.clock.run_for(10_000)
    expect(stale).to_contain_text("datorn svarade med ett fel")  # still waiting for an answer
    page.clock.run_for(9_000)
    expect(stale).to_contain_text("ingen kontakt med datorn")

    page.unroute("**/board/rows**")
    with page.expect_response(lambda r: "/board/rows" in r.url):
        page.clock.run_for(10_000)
    expect(stale).to_have_count(0)
    expect(page.locator(".board-row")).to_have_count(1)


def test_now_fills_in_the_site_time_on_a_tablet_left_in_another_zone(
    utc_tablet: Page, live_server, live_app
) -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    seed_case(live_app, sign="")
    # The tablet's zone is left at UTC: its "now" is an hour (two in summer) behind the site's.
    tablet = utc_tablet
    login(tablet, live_server.url, "seed-rsk")
    tablet.goto(f"{live_server.url}/cases/new")
    tablet.get_by_role("button", name="Nu: Mottagen").tap()
    typed = datetime.strptime(tablet.locator("#arrived_at").input_value(), "%Y-%m-%dT%H:%M")
    site_now = datetime.now(ZoneInfo("Europe/Stockholm")).replace(tzinfo=None)
    assert abs(site_now - typed) < timedelta(minutes=2), (typed, site_now)


def _discard_at_the_laptop(app: Flask, key: str) -> None:
    """An admin tidying the list of drafts throws this one away (it looked left behind); only
    an admin may throw away another's draft from the list."""
    from webapp.drafts.discarding import discard_draft
    from webapp.extensions import db
    from webapp.models import Draft, User

    from ..factories import make_user

    with app.app_context():
        make_user(role="admin", username="seed-admin")
        draft = db.session.query(Draft).filter_by(form_key=key).one()
        user = db.session.query(User).filter_by(username="seed-admin").one()
        discard_draft(draft_id=draft.id, user=user)


def _open_drafts_with(app: Flask, field: str, value: str) -> list[str]:
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        return [
            d.form_key
            for d in db.session.query(Draft).filter_by(is_done=False)
            if d.data.get(field) == value
        ]


def test_a_referral_thrown_away_from_the_list_while_typed_offline_is_kept(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/new")
    status = page.locator(".draft-status")
    page.get_by_role("textbox", name="Namn", exact=True).fill("Slängd Svensson")
    expect(status).to_contain_text("Utkast sparat på datorn")
    key = page.locator("#referral-form input[name='form_key']").input_value()

    page.context.set_offline(True)  # the CT room's Wi-Fi
    page.get_by_role("textbox", name="Frågeställning").fill("Blödning? Fallit i trappan.")
    expect(status).to_contain_text("Ingen kontakt")
    _discard_at_the_laptop(live_app, key)
    page.context.set_offline(False)

    expect(status).to_contain_text("sparad som ett nytt utkast", timeout=10000)
    expect(page.get_by_role("textbox", name="Frågeställning")).to_have_value(
        "Blödning? Fallit i trappan."
    )
    deadline = time.monotonic() + 5
    while not _open_drafts_with(live_app, "clinical_question", "Blödning? Fallit i trappan."):
        assert time.monotonic() < deadline, "the typed referral is on no open draft"
        time.sleep(0.2)
    page.goto(f"{base}/drafts")
    expect(page.locator("main")).to_contain_text("Slängd Svensson")
    page.get_by_role("link", name="Fortsätt").tap()
    expect(page.get_by_role("textbox", name="Frågeställning")).to_have_value(
        "Blödning? Fallit i trappan."
    )


def test_a_draft_left_behind_offline_and_thrown_away_meanwhile_is_sent_as_a_new_one(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/new")
    page.get_by_role("textbox", name="Namn", exact=True).fill("Lämnad Larsson")
    expect(page.locator(".draft-status")).to_contain_text("Utkast sparat på datorn")
    key = page.locator("#referral-form input[name='form_key']").input_value()
    page.context.set_offline(True)
    page.get_by_role("textbox", name="Frågeställning").fill("Fraktur?")
    expect(page.locator(".draft-status")).to_contain_text("Ingen kontakt")
    context = page.context
    page.close()
    _discard_at_the_laptop(live_app, key)

    context.set_offline(False)
    board = context.new_page()
    board.goto(f"{base}/board/")
    deadline = time.monotonic() + 8
    while not _open_drafts_with(live_app, "clinical_question", "Fraktur?"):
        assert time.monotonic() < deadline, "the typed referral is on no open draft"
        time.sleep(0.2)
    assert _open_drafts_with(live_app, "patient_name", "Lämnad Larsson") != [key]


def _just_before_a_refresh(page: Page) -> None:
    """Hold the board page's clock just before its next refresh.

    One refresh is let through first, to learn when they come: the clock stands still while
    the test waits for it, so the next is ten seconds of the page's time later.
    """
    page.clock.pause_at((page.evaluate("Date.now()") + 10) / 1000)  # seconds
    started: list[str] = []
    finished: list[str] = []

    def on_request(r: Any) -> None:
        if "/board/rows" in r.url:
            started.append(r.url)

    def on_finished(r: Any) -> None:
        if "/board/rows" in r.url:
            finished.append(r.url)

    page.on("request", on_request)
    page.on("requestfinished", on_finished)
    for _ in range(60):
        page.clock.run_for(250)
        if started:
            break
    deadline = time.monotonic() + 5
    while not finished:
        assert time.monotonic() < deadline, "the board did not refresh"
        page.wait_for_timeout(50)
    page.remove_listener("request", on_request)
    page.remove_listener("requestfinished", on_finished)
    page.evaluate("() => 0")
    page.clock.run_for(9_600)


def test_a_row_tapped_as_the_board_reorders_opens_the_patient_under_the_finger(
    page: Page, live_server, live_app
) -> None:
    import re

    seeded = seed_case(live_app, sign="")
    other = akut_case(live_app, seeded["incident_id"])
    base = live_server.url
    login(page, base, "seed-rsk")
    page.clock.install()
    page.goto(f"{base}/board/")
    rows = page.locator(".board-row")
    expect(rows).to_have_count(2)
    first_href = rows.first.get_by_role("link").get_attribute("href") or ""
    # The next refresh puts the other patient where the finger is (a new akut case came in).
    url = page.locator("#board").get_attribute("data-refresh-url")
    html = page.evaluate("url => fetch(url).then(r => r.text())", url)
    items = re.findall(r"<li class=\"board-row.*?</li>", html, re.DOTALL)
    assert len(items) == 2
    swapped = html.replace(items[0], "\x00").replace(items[1], items[0]).replace("\x00", items[1])

    def reorder() -> None:
        page.route(
            "**/board/rows**", lambda route: route.fulfill(body=swapped, content_type="text/html")
        )

    box = rows.first.bounding_box()
    assert box
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)
    _just_before_a_refresh(page)
    reorder()
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    with page.expect_response(lambda r: "/board/rows" in r.url):
        page.clock.run_for(500)  # the refresh comes just as the finger lands
    page.evaluate("() => 0")
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    page.wait_for_url(re.compile(r"/cases/\d+$"))
    assert page.url.endswith(first_href), (page.url, first_href, other)

    # A touch that opens nothing (scrolling, a tap beside the rows) holds the new rows only until
    # the finger lifts: the board does not stand still.
    page.unroute("**/board/rows**")
    page.goto(f"{base}/board/")
    expect(rows.first.get_by_role("link")).to_have_attribute("href", first_href)
    box = page.locator(".board-updated").bounding_box()
    assert box
    _just_before_a_refresh(page)
    reorder()
    cdp.send(
        "Input.dispatchTouchEvent",
        {"type": "touchStart", "touchPoints": [{"x": box["x"] + 5, "y": box["y"] + 5}]},
    )
    with page.expect_response(lambda r: "/board/rows" in r.url):
        page.clock.run_for(500)
    page.evaluate("() => 0")
    expect(rows.first.get_by_role("link")).to_have_attribute("href", first_href)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.clock.run_for(1_000)
    expect(rows.first.get_by_role("link")).not_to_have_attribute("href", first_href)

    # Nor does a release the page never hears of: a finger held longer than a tap is no tap.
    page.unroute("**/board/rows**")
    page.goto(f"{base}/board/")
    expect(rows.first.get_by_role("link")).to_have_attribute("href", first_href)
    _just_before_a_refresh(page)
    reorder()
    page.evaluate(
        "() => document.getElementById('board')"
        ".dispatchEvent(new PointerEvent('pointerdown', {bubbles: true}))"
    )
    with page.expect_response(lambda r: "/board/rows" in r.url):
        page.clock.run_for(500)
    page.evaluate("() => 0")
    expect(rows.first.get_by_role("link")).to_have_attribute("href", first_href)
    with page.expect_response(lambda r: "/board/rows" in r.url):
        page.clock.run_for(10_000)
    expect(rows.first.get_by_role("link")).not_to_have_attribute("href", first_href)


def test_a_row_reached_with_the_keyboard_keeps_the_focus_when_the_board_refreshes(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    akut_case(live_app, seeded["incident_id"])
    login(page, live_server.url, "seed-rsk")
    page.clock.install()
    page.goto(f"{live_server.url}/board/")
    links = page.locator(".board-row a")
    expect(links).to_have_count(2)
    second = links.nth(1)
    href = second.get_attribute("href")
    second.focus()
    with page.expect_response(lambda r: "/board/rows" in r.url):
        page.clock.run_for(10_500)
    expect(page.locator(f".board-row a[href='{href}']")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")


def test_the_board_says_since_when_in_the_site_time_on_a_tablet_left_in_another_zone(
    utc_tablet: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    tablet = utc_tablet
    login(tablet, live_server.url, "seed-rsk")
    # 09:00 UTC on a winter day is 10:00 on the department's clocks.
    tablet.clock.install(time="2026-01-15T09:00:00Z")
    tablet.goto(f"{live_server.url}/board/")
    expect(tablet.locator(".board-row")).to_have_count(1)
    tablet.route("**/board/rows**", lambda route: route.abort("connectionrefused"))
    tablet.clock.run_for(10_500)
    stale = tablet.get_by_role("alert").filter(has_text="Tavlan är inte uppdaterad")
    expect(stale).to_contain_text("sedan 10:00:")


def test_a_draft_says_when_it_was_saved_in_the_site_time_on_a_tablet_left_in_another_zone(
    utc_tablet: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    tablet = utc_tablet
    login(tablet, live_server.url, "seed-rad")
    tablet.clock.install(time="2026-01-15T09:00:00Z")  # 10:00 on the department's clocks
    tablet.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    tablet.get_by_role("textbox", name="Fynd").fill("Ingen blödning.")
    tablet.clock.run_for(1_600)
    expect(tablet.locator("#report-form .draft-status")).to_contain_text(
        "Utkast sparat på datorn 10:00:"
    )
