"""Radiographer on a tablet: referral with a fixed error, reload mid-form, exam, board."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import LANDSCAPE, assert_no_horizontal_scroll, check_accessibility, login
from .seed import akut_case, seed_case


def _declare(page: Page, base: str) -> None:
    page.goto(base + "/incidents/new")
    page.get_by_label("Integrationsmotorn nere (remisser når inte RIS)").check()
    page.get_by_role("button", name="Registrera och visa rutinen").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Integrationsmotorn")


def test_capture_referral_document_exam_and_follow_it_on_the_board(
    page: Page, live_server, make_staff
) -> None:
    base = live_server.url
    make_staff(username="kim", display_name="Kim Ström")
    login(page, base, "kim")
    _declare(page, base)

    page.get_by_role("link", name="Ny remiss").first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny remiss")
    check_accessibility(page)
    assert_no_horizontal_scroll(page)
    # The phone pad: digits with the hyphen (and the +), which the number pad lacks.
    expect(page.get_by_role("textbox", name="Personnummer")).to_have_attribute("inputmode", "tel")

    page.get_by_role("textbox", name="Personnummer").fill("19121212-1213")  # wrong check digit
    page.get_by_role("textbox", name="Namn", exact=True).fill("Örjan Älvström")
    page.get_by_role("textbox", name="Remitterande enhet").fill("Akutmottagningen")
    page.get_by_role("textbox", name="Svarsfax").fill("0999-123 46")
    exam = page.get_by_role("combobox", name="Undersökning")
    exam.fill("hjärna utan")
    page.get_by_role("option", name=re.compile("DT hjärna utan kontrast")).tap()
    expect(page.locator("#modality")).to_have_value("CT")
    page.get_by_role("textbox", name="Frågeställning").fill("Blödning? Föll i hemmet.")
    page.get_by_role("button", name="Spara remissen").tap()

    expect(page.locator("#personal_number-error")).to_contain_text("Kontrollsiffran stämmer inte")
    expect(page.get_by_role("textbox", name="Namn", exact=True)).to_have_value("Örjan Älvström")
    expect(page.get_by_role("textbox", name="Frågeställning")).to_have_value(
        "Blödning? Föll i hemmet."
    )
    check_accessibility(page)

    page.get_by_role("textbox", name="Personnummer").fill("19121212-1212")
    page.get_by_role("button", name="Spara remissen").tap()
    expect(page.locator(".flash")).to_contain_text("Remissen är sparad.")
    expect(page.locator(".patient-header")).to_contain_text("Örjan Älvström")
    expect(page.locator(".patient-header")).to_contain_text("19121212-1212")
    code = page.locator(".case-code").inner_text()
    check_accessibility(page)

    page.get_by_role("link", name="Tavla").tap()
    row = page.locator(".board-row", has_text=code)
    expect(row).to_contain_text("Remiss mottagen")
    expect(row).to_contain_text("Ö. Ä.")
    check_accessibility(page)

    row.get_by_role("link").tap()
    page.get_by_role("link", name="Dokumentera undersökning").tap()
    expect(page.get_by_role("combobox", name="Utförd undersökning")).to_have_value(
        "DT hjärna utan kontrast"
    )
    check_accessibility(page)
    page.locator("button[data-now-for='started_at']").tap()
    expect(page.locator("#started_at")).not_to_have_value("")
    page.get_by_role("textbox", name="Tillfälligt patient-ID på modaliteten").fill("TMP-CT1-0042")
    dlp = page.get_by_role("textbox", name="DLP (mGy·cm)")
    expect(dlp).to_have_attribute("inputmode", "decimal")
    dlp.fill("812,5")  # the Swedish decimal keypad offers only the comma
    page.get_by_label("Ja, skickade").check()
    page.locator("button[data-now-for='pacs_sent_at']").tap()
    page.get_by_role("button", name="Spara dokumentationen").tap()
    expect(page.locator(".flash")).to_contain_text("Dokumentationen är sparad.")
    expect(page.locator(".patient-header .status")).to_have_text("Undersökning klar")
    expect(page.locator("main")).to_contain_text("DLP 812,5 mGy·cm")

    page.get_by_role("link", name="Tavla").tap()
    expect(page.locator(".board-row", has_text=code)).to_contain_text("Undersökning klar")


def test_a_short_scan_s_dose_is_refused_once_then_saved_as_typed_with_the_box(
    page: Page, live_server
) -> None:
    base = live_server.url
    seeded = seed_case(live_server.app)
    case_id = akut_case(live_server.app, seeded["incident_id"])
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/{case_id}/exam")
    box = page.get_by_role("checkbox", name="Värdena stämmer: kort skanning under 1 cm")
    expect(box).to_have_count(0)
    page.locator("button[data-now-for='started_at']").tap()
    page.get_by_role("textbox", name="Tillfälligt patient-ID på modaliteten").fill("TMP-CT1-0007")
    # A biopsy's check slices: 4 mm at 8,4 mGy.
    page.get_by_role("textbox", name="DLP (mGy·cm)").fill("3,4")
    page.get_by_role("textbox", name="CTDIvol (mGy)").fill("8,4")
    page.get_by_label("Nej, inte skickade").check()
    page.get_by_role("button", name="Spara dokumentationen").tap()

    expect(page.locator("#dlp_mgycm-error")).to_contain_text("omkastade")
    expect(page.get_by_role("textbox", name="DLP (mGy·cm)")).to_have_value("3,4")
    expect(box).to_be_visible()
    target = page.locator("label.check", has=box).bounding_box()
    assert target is not None and target["height"] >= 44
    check_accessibility(page)
    assert_no_horizontal_scroll(page)
    box.check()
    page.get_by_role("button", name="Spara dokumentationen").tap()
    expect(page.locator(".flash-success")).to_contain_text("Dokumentationen är sparad.")
    expect(page.locator("main")).to_contain_text("DLP 3,4 mGy·cm")


def test_reload_mid_form_brings_the_draft_back(page: Page, live_server, make_staff) -> None:
    base = live_server.url
    page.set_viewport_size(LANDSCAPE)
    make_staff(username="kim", display_name="Kim Ström")
    login(page, base, "kim")
    _declare(page, base)
    page.goto(base + "/cases/new")
    page.get_by_role("textbox", name="Namn", exact=True).fill("Åsa Öberg")
    page.get_by_role("textbox", name="Frågeställning").fill("Lungemboli?")
    expect(page.locator(".draft-status")).to_contain_text("Utkast sparat på datorn", timeout=10000)
    assert "draft=" in page.url
    assert_no_horizontal_scroll(page)

    page.reload()
    expect(page.get_by_role("textbox", name="Namn", exact=True)).to_have_value("Åsa Öberg")
    expect(page.get_by_role("textbox", name="Frågeställning")).to_have_value("Lungemboli?")

    # Another tablet (a fresh browser context) finds it in the list of drafts.
    other = page.context.browser.new_context(
        viewport={"width": 768, "height": 1024}, has_touch=True
    )
    tablet = other.new_page()
    login(tablet, base, "kim")
    tablet.get_by_role("link", name="Utkast").tap()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Osparade utkast")
    check_accessibility(tablet)
    tablet.get_by_role("link", name="Fortsätt").tap()
    expect(tablet.get_by_role("textbox", name="Namn", exact=True)).to_have_value("Åsa Öberg")
    other.close()


def test_draft_typed_offline_is_kept_and_synced(page: Page, live_server, make_staff) -> None:
    base = live_server.url
    make_staff(username="kim", display_name="Kim Ström")
    login(page, base, "kim")
    _declare(page, base)
    page.goto(base + "/cases/new")
    page.context.set_offline(True)
    page.get_by_role("textbox", name="Namn", exact=True).fill("Offline Östman")
    expect(page.locator(".draft-status")).to_contain_text("Ingen kontakt", timeout=10000)
    page.context.set_offline(False)
    expect(page.locator(".draft-status")).to_contain_text("Utkast sparat på datorn", timeout=15000)
    page.goto(base + "/drafts")
    expect(page.locator("main")).to_contain_text("Offline Östman")
