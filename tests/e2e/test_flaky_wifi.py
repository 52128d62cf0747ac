"""A laptop that stops answering mid-work: the tablet says so instead of showing old news."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask
from playwright.sync_api import Page, Route, expect

from .conftest import login
from .seed import seed_case


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
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    status = page.locator(".draft-status")
    page.get_by_role("textbox", name="Fynd").fill("Ingen blödning.")
    expect(status).to_contain_text("Utkast sparat på datorn")

    page.route("**/api/drafts/**", _never_answer)
    page.get_by_role("textbox", name="Bedömning").fill("Normalt.")
    expect(status).to_contain_text("Ingen kontakt", timeout=15000)
    expect(status).not_to_contain_text("Utkast sparat")

    page.unroute("**/api/drafts/**")
    expect(status).to_contain_text("Utkast sparat på datorn", timeout=15000)
    key = page.locator("#report-form input[name='form_key']").input_value()
    deadline = time.monotonic() + 5
    while _stored(live_app, key).get("sections-3-text") != "Normalt.":
        assert time.monotonic() < deadline, _stored(live_app, key)
        time.sleep(0.2)
