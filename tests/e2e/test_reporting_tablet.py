"""The reporting screen on a tablet: typed text, errors and the patient stay in view."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import login
from .seed import seed_case

IPAD_PORTRAIT = {"width": 820, "height": 1180}


def test_changing_template_keeps_the_typed_text(page: Page, live_server, live_app) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    page.get_by_role("textbox", name="Fynd").fill("Liten subduralblödning höger.")
    page.get_by_role("textbox", name="Bedömning").fill("Akut subduralhematom.")

    page.locator("#template").select_option(label="DT thorax-buk")

    page.wait_for_url(re.compile(r"template=\d+"))
    expect(page.locator("#template option:checked")).to_have_text("DT thorax-buk")
    expect(page.get_by_role("textbox", name="Thorax")).to_have_value("")
    expect(page.get_by_role("textbox", name="Bedömning")).to_have_value("Akut subduralhematom.")
    # The new template has no "Fynd": its text stays, under its own heading.
    expect(page.get_by_role("textbox", name="Fynd")).to_have_value("Liten subduralblödning höger.")
