"""Radiographer on a tablet: a sided exam asks the side, and a differing side is confirmed."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ..factories import DEFAULT_NAME
from .conftest import check_accessibility, login
from .referral_support import fill_referral
from .test_radiographer_journey import _declare


def test_a_hand_referral_asks_the_side_and_the_exam_confirms_another(
    page: Page, live_server, make_staff
) -> None:
    base = live_server.url
    make_staff(username="kim", display_name="Kim Ström")
    login(page, base, "kim")
    _declare(page, base)
    page.goto(base + "/cases/new")
    side = page.locator("[data-need='side']")
    page.get_by_role("textbox", name="Personnummer").fill("19121212-1212")
    page.get_by_role("textbox", name="Namn", exact=True).fill("Örjan Älvström")
    page.get_by_role("textbox", name="Remitterande enhet").fill("Akutmottagningen")
    page.get_by_role("textbox", name="Svarsfax").fill("0999-123 46")
    page.get_by_role("combobox", name="Undersökning").fill("hjärna utan")
    page.get_by_role("option", name=re.compile("DT hjärna utan kontrast")).tap()
    expect(side).to_be_hidden()  # a head CT has no side
    page.get_by_role("combobox", name="Undersökning").fill("Hand")
    page.get_by_role("option", name="Hand/handled (CR)").tap()
    expect(side).to_be_visible()
    expect(side.locator(".need-flag")).to_be_visible()  # required for this exam
    page.get_by_role("textbox", name="Frågeställning").fill("Fraktur?")
    page.get_by_role("button", name="Spara remissen").tap()
    expect(page.locator("#side-error")).to_contain_text("Ange sida")
    expect(page.get_by_role("textbox", name="Frågeställning")).to_have_value("Fraktur?")
    side.get_by_label("Vänster").check()
    page.get_by_role("button", name="Spara remissen").tap()
    expect(page.locator(".flash")).to_contain_text("Remissen är sparad.")

    page.get_by_role("link", name="Dokumentera undersökning").tap()
    side = page.locator("[data-need='side']")
    expect(side.get_by_label("Vänster")).to_be_checked()  # prefilled from the referral
    side.get_by_label("Höger").check()
    page.locator("#room").select_option("Lab 1")
    page.locator("button[data-now-for='started_at']").tap()
    page.get_by_role("textbox", name="Tillfälligt patient-ID på modaliteten").fill("TMP-CR1-0001")
    page.get_by_label("Nej, inte skickade").check()
    page.get_by_role("button", name="Spara dokumentationen").tap()
    expect(page.locator("#side_confirmed-error")).to_contain_text("Remissen anger vänster")
    check_accessibility(page)
    page.get_by_label("Sidan avviker från remissen – bekräftad").check()
    page.get_by_role("button", name="Spara dokumentationen").tap()
    expect(page.locator(".flash-success")).to_contain_text("Dokumentationen är sparad.")
    expect(page.locator("section.side-differs")).to_contain_text("Annan sida än remissen")


def test_a_side_typed_into_a_free_text_exam_is_hinted_as_it_is_typed(
    page: Page, live_server, make_staff
) -> None:
    # Saved as typed, the exam would go on without a side and the hint after the save unseen:
    # it must show while the radiographer types.
    base = live_server.url
    make_staff(username="kim", display_name="Kim Ström")
    login(page, base, "kim")
    _declare(page, base)
    page.goto(base + "/cases/new")
    hint = page.locator("#exam-side-in-text")
    expect(hint).to_be_hidden()
    page.get_by_role("combobox", name="Undersökning").fill("Knä vänster")  # the referral too
    expect(hint).to_be_visible()
    fill_referral(page, DEFAULT_NAME)  # picks a catalogue exam: no hint
    expect(hint).to_be_hidden()
    page.get_by_role("button", name="Spara remissen").tap()
    page.get_by_role("link", name="Dokumentera undersökning").tap()

    exam = page.get_by_role("combobox", name="Undersökning")
    expect(hint).to_be_hidden()
    exam.fill("DT knä höger")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Sidan hör hemma i fältet Sida")
    exam.fill("DT höftled")  # a word that only begins like a side
    expect(hint).to_be_hidden()
    exam.fill("DT knä hö")
    expect(hint).to_be_visible()
    page.locator("[data-need='side']").get_by_label("Höger").check()
    expect(hint).to_be_hidden()
    check_accessibility(page)
