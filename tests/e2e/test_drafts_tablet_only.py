"""Copies the laptop never got are listed on the drafts page, and none is put over newer text."""

from __future__ import annotations

import time

from flask import Flask
from playwright.sync_api import Page, Route, expect

from .conftest import login
from .seed import seed_case


def _drafts(app: Flask) -> list[str]:
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        return sorted(d.data.get("patient_name", "") for d in db.session.query(Draft))


def _another_tablet_saves_further(app: Flask, key: str) -> None:
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        draft = db.session.query(Draft).filter_by(form_key=key).one()
        draft.data = {**draft.data, "patient_name": "Annan Platta"}
        draft.label = "Annan Platta"
        draft.client_seq = 99
        db.session.commit()


def test_a_copy_the_laptop_lacks_is_listed_then_kept_beside_newer_text(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/new")
    name = page.get_by_role("textbox", name="Namn", exact=True)
    name.fill("Först Sparad")
    expect(page.locator(".draft-status")).to_contain_text("Utkast sparat")
    key = page.locator("form.clinical input[name='form_key']").input_value()

    # The laptop answers pages but not the drafts (as when its drafts are refused).
    def refuse(route: Route) -> None:
        route.abort()

    page.context.route("**/api/drafts/**", refuse)
    name.fill("Bara Plattan")
    expect(page.locator(".draft-status")).to_contain_text("Ingen kontakt")
    page.goto(f"{base}/drafts")
    local = page.locator("#local-drafts")
    expect(local).to_be_visible()
    expect(page.get_by_role("heading", name="Bara på den här plattan")).to_be_visible()
    link = local.get_by_role("link", name="Bara Plattan")
    # Its kind too: on a page of several autosaved forms the key goes to the one it was typed in.
    expect(link).to_have_attribute("href", f"/cases/new?draft={key}&draft_kind=referral")

    # Another tablet has meanwhile saved the same form further: the tablet's copy goes to
    # the laptop as a draft of its own, not over the newer text.
    _another_tablet_saves_further(live_app, key)
    page.context.unroute("**/api/drafts/**")
    page.goto(f"{base}/drafts")
    deadline = time.monotonic() + 8
    while _drafts(live_app) != ["Annan Platta", "Bara Plattan"]:
        assert time.monotonic() < deadline, _drafts(live_app)
        time.sleep(0.2)
    expect(local).to_be_hidden()
    page.reload()
    expect(page.get_by_role("row").filter(has_text="Bara Plattan")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Annan Platta")).to_be_visible()
    expect(page.locator("#local-drafts")).to_be_hidden()
