"""Radiographer on a tablet: a CT referral done as MR asks the MR safety facts first."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import check_accessibility, login
from .test_radiographer_journey import _declare


def test_an_exam_changed_to_mr_asks_the_mr_safety_questions_before_it_is_saved(
    page: Page, live_server, make_staff
) -> None:
    base = live_server.url
    make_staff(username="kim", display_name="Kim Ström")
    login(page, base, "kim")
    _declare(page, base)
    page.goto(base + "/cases/new")
    page.get_by_role("textbox", name="Personnummer").fill("19121212-1212")
    page.get_by_role("textbox", name="Namn", exact=True).fill("Örjan Älvström")
    page.get_by_role("textbox", name="Remitterande enhet").fill("Akutmottagningen")
    page.get_by_role("textbox", name="Svarsfax").fill("0999-123 46")
    page.get_by_role("combobox", name="Undersökning").fill("hjärna utan")
    page.get_by_role("option", name=re.compile("DT hjärna utan kontrast")).tap()
    page.get_by_role("textbox", name="Frågeställning").fill("Blödning?")
    page.get_by_role("button", name="Spara remissen").tap()
    expect(page.locator(".flash-success")).to_contain_text("Remissen är sparad.")

    page.get_by_role("link", name="Dokumentera undersökning").tap()
    mr = page.locator("fieldset[data-need='mr']")
    expect(mr).to_be_hidden()  # a CT exam: no MR questions in the way
    page.locator("#modality").select_option("MR")
    expect(mr).to_be_visible()
    page.locator("button[data-now-for='started_at']").tap()
    page.get_by_role("textbox", name="Tillfälligt patient-ID på modaliteten").fill("TMP-MR1-0007")
    page.get_by_label("Nej, inte skickade").check()
    page.get_by_role("button", name="Spara dokumentationen").tap()

    expect(page.locator("#pacemaker-error")).to_contain_text("MR kräver uppgiften")
    expect(page.get_by_role("textbox", name="Tillfälligt patient-ID på modaliteten")).to_have_value(
        "TMP-MR1-0007"
    )
    # The requested CT exam was left in the text: the modality says so too.
    expect(page.locator("#modality-error")).to_contain_text("stämmer inte")
    check_accessibility(page)
    page.get_by_role("combobox", name="Utförd undersökning").fill("MR hj")
    page.get_by_role("option", name=re.compile("MR hjärna")).tap()
    mr.locator("input[name='pacemaker'][value='no']").check()
    mr.locator("input[name='implants'][value='unknown']").check()
    page.get_by_role("button", name="Spara dokumentationen").tap()
    expect(page.locator(".flash-success")).to_contain_text("Dokumentationen är sparad.")
    expect(page.locator("main")).not_to_contain_text("MR-säkerhet ej besvarad")
