"""Radiologist on a landscape tablet: worklist, template, preliminary, definitive, addendum."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import LANDSCAPE, assert_no_horizontal_scroll, check_accessibility, login
from .seed import seed_case


def test_report_from_worklist_with_template_signatures_and_addendum(
    page: Page, live_server, live_app, make_staff
) -> None:
    seed_case(live_app, sign="", username="kim")
    make_staff(username="rad", role="radiologist", display_name="Rut Radiolog")

    page.set_viewport_size(LANDSCAPE)
    login(page, live_server.url, "rad")
    # The start page leads with the worklist during an outage.
    page.get_by_role("navigation", name="Arbeta i driftstoppet").get_by_role(
        "link", name="Arbetslista"
    ).tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arbetslista")
    check_accessibility(page)
    page.locator(".board-row", has_text="Ö. Ä.").get_by_role("link").tap()

    expect(page.locator(".patient-header")).to_contain_text("19121212-1212")
    expect(page.locator("#template")).to_have_value(
        page.locator("#template option", has_text="DT hjärna").get_attribute("value")
    )
    check_accessibility(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("button", name="+ Ingen intrakraniell blödning. Inga tecken på infarkt.").tap()
    page.get_by_role("button", name="+ Ingen akut intrakraniell patologi.").tap()
    findings = page.get_by_role("textbox", name="Fynd")
    expect(findings).to_have_value("Ingen intrakraniell blödning. Inga tecken på infarkt.")
    findings.press("End")
    findings.type(" Fri text tillagd.")

    page.get_by_role("button", name="Signera preliminärt").tap()
    expect(page.locator(".flash").first).to_contain_text("preliminärt signerat")
    expect(page.locator(".patient-header .status")).to_have_text("Preliminärt utlåtande")
    expect(page.get_by_role("textbox", name="Fynd")).to_have_value(
        "Ingen intrakraniell blödning. Inga tecken på infarkt. Fri text tillagd."
    )

    page.get_by_role("radio", name="PACS").check()
    page.locator("summary", has_text="Signera definitivt").tap()
    page.get_by_role("button", name="Ja, signera definitivt").tap()
    expect(page.locator(".flash").first).to_contain_text("definitivt signerat")
    expect(page.locator(".patient-header .status")).to_have_text("Definitivt utlåtande")
    expect(page.get_by_role("textbox", name="Fynd")).to_have_count(0)
    expect(page.locator(".signatures")).to_contain_text("Rut Radiolog")
    check_accessibility(page)

    page.get_by_role("textbox", name="Tillägg").fill("Tillägg: jämfört med DT 2025, oförändrat.")
    page.get_by_role("button", name="Signera tillägg").tap()
    expect(page.locator(".flash").first).to_contain_text("Tillägget är signerat.")
    expect(page.locator(".addendum")).to_contain_text("jämfört med DT 2025")
    expect(page.locator(".addendum")).to_contain_text("Rut Radiolog")
