"""A box the laptop asks to be ticked ("det är rätt patient") counts at the first tick.

The refused page carries what the tick is for (the identity it was asked about). The tablet's
copy of the form, put back on the refused page, must not put back its own older answer in its
place: else the tick is never taken and the referral can never be saved.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ..factories import number_of
from .conftest import login
from .referral_support import case_count, fill_referral
from .seed import seed_case

NAMESAKE = "Det är rätt patient – jag har kontrollerat namn och nummer"


def test_one_tick_saves_a_referral_for_a_namesake(page: Page, live_server, live_app) -> None:
    # The seeded case's patient has this name under another number.
    seed_case(live_app, sign="", patient_name="Tolvan Tolvansson")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    fill_referral(page, "Tolvan Tolvansson")
    before = case_count(live_app)
    # Sent at once, before the tablet's copy reaches the laptop.
    page.get_by_role("button", name="Spara remissen").click()
    box = page.get_by_role("checkbox", name=NAMESAKE)
    expect(box).to_be_visible()
    assert case_count(live_app) == before

    box.check()
    page.get_by_role("button", name="Spara remissen").click()
    expect(page.locator(".flash")).to_contain_text("Remissen är sparad.")
    assert case_count(live_app) == before + 1
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))


def test_a_tick_kept_on_the_tablet_does_not_answer_for_another_patient(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="", patient_name="Tolvan Tolvansson")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    fill_referral(page, "Tolvan Tolvansson")
    page.get_by_role("button", name="Spara remissen").click()
    box = page.get_by_role("checkbox", name=NAMESAKE)
    box.check()
    # The number changed after the tick: the laptop asks again, for the new identity.
    page.get_by_role("textbox", name="Personnummer").fill(number_of("Berit Andra"))
    page.get_by_role("button", name="Spara remissen").click()
    box = page.get_by_role("checkbox", name=NAMESAKE)
    expect(box).to_be_visible()
    expect(box).not_to_be_checked()
