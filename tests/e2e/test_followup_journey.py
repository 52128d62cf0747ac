"""The secretary opens an ended outage's follow-up from its page and prints it."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from ..followup_support import seed_ended_incident
from ..printforms.conftest import STANDARD_FAX, decoded_payloads
from .conftest import check_accessibility, login


def test_the_followup_opens_from_the_incident_page_and_prints(
    page: Page, live_server, live_app: Flask
) -> None:
    seeded = seed_ended_incident(live_app)
    login(page, live_server.url, "fu-sara")
    page.goto(f"{live_server.url}/incidents/{seeded.incident_id}")
    page.get_by_role("link", name="Uppföljning av driftstoppet").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uppföljning av driftstoppet")
    expect(page.locator("#waits")).to_contain_text("Akut")
    expect(page.locator("#identity")).to_contain_text(seeded.codes["C"])
    expect(page.locator("#provisional")).to_have_count(0)
    check_accessibility(page)
    link = page.get_by_role("link", name="Skriv ut uppföljningen (PDF)")
    expect(link).to_have_attribute("target", "_blank")
    with page.expect_popup() as popup:
        link.tap()
    response = page.context.request.get(live_server.url + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert decoded_payloads(response.body(), STANDARD_FAX)
    popup.value.close()
