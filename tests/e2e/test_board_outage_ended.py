"""A board left open on a tablet follows its outage's end, closed on another tablet."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import check_accessibility, login
from .seed import seed_case


def _end(app: Flask, incident_id: int) -> None:
    from webapp.extensions import db
    from webapp.models import Incident, utcnow

    with app.app_context():
        db.session.get(Incident, incident_id).ended_at = utcnow()
        db.session.commit()


def test_a_board_left_open_leaves_its_outage_once_it_ends_elsewhere(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.clock.install()
    page.goto(f"{live_server.url}/board/")
    expect(page.locator(".board-row")).to_have_count(1)
    new_referral = page.locator("#board-filters").get_by_role("link", name="Ny remiss")
    expect(new_referral).to_be_visible()

    _end(live_app, seeded["incident_id"])
    page.clock.run_for(10_000)  # the board's own refresh
    expect(new_referral).to_have_count(0)
    expect(page.locator(".board-row")).to_have_count(0)
    # The start page, which says no outage is open.
    expect(page.get_by_role("heading", name="Inget pågående driftstopp")).to_be_visible()


def test_the_board_opened_from_its_outages_page_leaves_it_once_it_ends_elsewhere(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.clock.install()
    page.goto(f"{live_server.url}/incidents/{seeded['incident_id']}")
    page.locator("main").get_by_role("link", name="Tavla", exact=True).last.click()
    expect(page.locator(".board-row")).to_have_count(1)
    filters = page.locator("#board-filters")
    expect(filters.get_by_role("link", name="Ny remiss")).to_be_visible()

    _end(live_app, seeded["incident_id"])
    page.clock.run_for(10_000)  # the board's own refresh
    expect(filters).to_contain_text("Inget pågående driftstopp")
    expect(filters.get_by_role("link", name="Ny remiss")).to_have_count(0)
    check_accessibility(page)
