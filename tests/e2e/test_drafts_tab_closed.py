"""Drafts in the browser: text typed just before the tab closes reaches the laptop."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from playwright.sync_api import Page

from .conftest import login
from .seed import seed_case


def _stored(app: Flask, key: str) -> dict[str, Any]:
    """The draft's fields as the laptop holds them (empty when it holds none)."""
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        draft = db.session.query(Draft).filter_by(form_key=key).one_or_none()
        return dict(draft.data) if draft else {}


def _wait_stored(app: Flask, key: str, field: str, value: str, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while _stored(app, key).get(field) != value:
        assert time.monotonic() < deadline, f"never reached the laptop: {_stored(app, key)}"
        time.sleep(0.2)


def test_report_typed_just_before_the_tab_closed_reaches_the_laptop(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    key = page.locator("#report-form input[name='form_key']").input_value()
    # Closed within the autosave's pause, and no other page opened on this tablet after it: the
    # radiologist goes on at another tablet, which must find the text on the laptop.
    page.get_by_role("textbox", name="Fynd").fill("Ingen blödning.")
    page.close()

    _wait_stored(live_app, key, "sections-2-text", "Ingen blödning.")


def test_report_typed_just_before_the_tablet_was_put_away_reaches_the_laptop(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    page.clock.install()
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    key = page.locator("#report-form input[name='form_key']").input_value()
    # A tablet put away (screen locked, another app opened) runs no timers of its page: the
    # autosave's pause never ends until it is woken, while the user goes on at another tablet.
    page.clock.pause_at(datetime.now() + timedelta(minutes=1))
    page.get_by_role("textbox", name="Fynd").fill("Ingen blödning.")
    page.evaluate(
        """() => {
            Object.defineProperty(document, "visibilityState", { value: "hidden" });
            document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    _wait_stored(live_app, key, "sections-2-text", "Ingen blödning.")
