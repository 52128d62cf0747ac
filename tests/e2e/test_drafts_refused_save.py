"""A draft save the laptop refuses, or fails: what is tried again, and what counts as activity.

A save tried again is the page's own timer, not someone at the tablet: it must not keep an
abandoned tablet from its idle logout. A refusal (4xx) stays the same however often it is sent,
so it is not sent again until the user types; no contact or a server error is tried again.
"""

from __future__ import annotations

import json
import time
from typing import Any

from playwright.sync_api import Page, Request, Route, expect

from .conftest import login
from .seed import seed_case

BACKGROUND = "x-reservrutin-background"


def _open_report(page: Page, live_server, live_app) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    # The page's own timers (the pause before a save, the retries) are moved on by hand.
    page.clock.install()
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")


def _saves(page: Page) -> list[Request]:
    sent: list[Request] = []
    page.on(
        "request",
        lambda request: sent.append(request) if "/api/drafts/" in request.url else None,
    )
    return sent


def _run_until_saved(page: Page, step_ms: int) -> None:
    # The page's answer to the last try lands between clock steps, late on a busy machine: the
    # retry it schedules then needs a step more, so the clock is moved on until the save is in.
    status = page.locator("#report-form .draft-status")
    deadline = time.monotonic() + 20
    while "Utkast sparat på datorn" not in status.inner_text():
        assert time.monotonic() < deadline, status.inner_text()
        page.clock.run_for(step_ms)
        page.wait_for_timeout(100)


def _tablet_copy(page: Page) -> dict[str, Any]:
    key = page.locator("#report-form input[name='form_key']").input_value()
    return json.loads(page.evaluate(f"window.localStorage.getItem('reservrutin:draft:{key}')"))


def test_a_refused_draft_save_is_not_sent_again_and_its_text_stays_on_the_tablet(
    page: Page, live_server, live_app
) -> None:
    _open_report(page, live_server, live_app)
    sent = _saves(page)
    page.route(
        "**/api/drafts/**",
        lambda route: route.fulfill(status=400, json={"error": "CSRF-token saknas"}),
    )
    page.get_by_role("textbox", name="Fynd").fill("Ingen blödning.")
    page.clock.run_for(1_600)
    status = page.locator("#report-form .draft-status")
    expect(status).to_contain_text("Datorn tog inte emot utkastet")
    page.clock.run_for(10 * 60_000)  # under the idle limit: its reload would send it anew
    assert len(sent) == 1
    copy = _tablet_copy(page)
    assert copy["synced"] is False
    assert "Ingen blödning." in copy["data"].values()


def test_a_draft_save_tried_again_without_contact_is_not_sent_as_activity(
    page: Page, live_server, live_app
) -> None:
    _open_report(page, live_server, live_app)
    page.route("**/api/drafts/**", lambda route: route.abort("connectionrefused"))
    page.get_by_role("textbox", name="Fynd").fill("Ingen blödning.")
    with page.expect_request("**/api/drafts/**") as first:
        page.clock.run_for(1_600)
    expect(page.locator("#report-form .draft-status")).to_contain_text("Ingen kontakt")
    with page.expect_event("requestfailed") as again:
        page.clock.run_for(5_100)
    # The save of what was typed is the user's doing; the same text sent again is not.
    assert BACKGROUND not in first.value.headers
    assert again.value.headers.get(BACKGROUND) == "1"

    page.unroute("**/api/drafts/**")
    sent = _saves(page)
    _run_until_saved(page, step_ms=5_100)
    assert sent and all(request.headers.get(BACKGROUND) == "1" for request in sent)


def test_a_draft_save_the_laptop_failed_is_tried_again_until_it_is_saved(
    page: Page, live_server, live_app
) -> None:
    _open_report(page, live_server, live_app)
    failed: list[Request] = []

    def fail(route: Route) -> None:
        failed.append(route.request)
        route.fulfill(status=503, body="upptagen")

    page.route("**/api/drafts/**", fail)
    page.get_by_role("textbox", name="Fynd").fill("Ingen blödning.")
    page.clock.run_for(1_600)
    status = page.locator("#report-form .draft-status")
    expect(status).to_contain_text("Texten finns kvar på plattan")
    page.clock.run_for(30_100)
    deadline = time.monotonic() + 10
    while len(failed) < 2:
        assert time.monotonic() < deadline, "not tried again"
        page.evaluate("0")  # lets the route handler run
    assert failed[1].headers.get(BACKGROUND) == "1"

    page.unroute("**/api/drafts/**")
    _run_until_saved(page, step_ms=30_100)
    assert _tablet_copy(page)["synced"] is True
