"""On a tablet: print the signed report for the fax, then log from the case page that it went."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import assert_no_horizontal_scroll, check_accessibility, login
from .seed import seed_case


def test_secretary_logs_the_faxed_report_from_the_case_page(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app, sign="definitive")
    make_staff(role="secretary", username="seed-sek", display_name="Selma Sekreterare")
    login(page, live_server.url, "seed-sek")
    page.goto(f"{live_server.url}/cases/{seeded['case_id']}")

    panel = page.locator("#dispatch")
    expect(panel).to_contain_text("Signerat svar ej faxat")
    expect(panel.get_by_label("Faxat till nummer")).to_have_value("0999-123 46")
    check_accessibility(page)
    assert_no_horizontal_scroll(page)

    # Printing the report sheet (a new tab) brings the log of the fax into reach.
    with page.expect_popup() as popup:
        page.get_by_role("link", name="Utlåtande (fax)").tap()
    popup.value.close()
    log_button = panel.get_by_role("button", name="Svaret är faxat – logga")
    expect(log_button).to_be_focused()
    expect(log_button).to_be_in_viewport()

    # A time before the signature (the fax of an earlier sheet) is refused next to the field.
    panel.get_by_label("Faxat till nummer").fill("035-10 20 30")
    panel.locator("#faxed_at").fill("2026-01-15T03:00")
    log_button.tap()
    panel = page.locator("#dispatch")
    expect(page.locator("#faxed_at-error")).to_contain_text("Faxtiden ligger före signeringen")
    expect(panel.locator("#faxed_at")).to_have_value("2026-01-15T03:00")
    expect(panel.get_by_label("Faxat till nummer")).to_have_value("035-10 20 30")
    panel.get_by_role("button", name="Nu").tap()
    expect(panel.locator("#faxed_at")).not_to_have_value("2026-01-15T03:00")
    panel.get_by_role("button", name="Svaret är faxat – logga").tap()

    page.wait_for_url(re.compile(rf"/cases/{seeded['case_id']}#dispatch$"))
    expect(page.locator("#dispatch .dispatch-status")).to_contain_text("Svar faxat till remittent")
    expect(page.locator("#dispatch .dispatch-status")).to_contain_text("Selma Sekreterare")
    expect(page.locator("#dispatch .dispatch-status")).to_contain_text("035-10 20 30")
    expect(page.get_by_text("Signerat svar ej faxat")).to_have_count(0)
    assert_no_horizontal_scroll(page)
