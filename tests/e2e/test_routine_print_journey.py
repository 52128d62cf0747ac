"""The admin prints the binder's routines from the tablet: one tap opens the PDF."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ..printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .conftest import check_accessibility, login


def test_print_the_routines_from_the_binder_page(page: Page, live_server, make_staff) -> None:
    base = live_server.url
    make_staff(username="adm", role="admin", display_name="Ada Admin")
    login(page, base, "adm")
    page.goto(f"{base}/blanks/")
    routines = page.locator("#routines")
    expect(routines).to_contain_text("Rutinerna har inte skrivits ut för pärmen än.")
    check_accessibility(page)
    link = page.get_by_role("link", name="Skriv ut rutinerna")
    expect(link).to_have_attribute("target", "_blank")
    with page.expect_popup() as popup:
        link.tap()
    popup.value.wait_for_load_state()
    response = page.context.request.get(base + (link.get_attribute("href") or ""))
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert "Utskriven" in pdf_text(body) and "av Ada Admin" in pdf_text(body)
    found = decoded_payloads(body, STANDARD_FAX)
    assert found and all(
        len(payloads) == 1 and payloads[0].startswith("http") for payloads in found
    )
    popup.value.close()
    page.reload()
    expect(routines).to_contain_text("av Ada Admin (konfiguration version 1)")
    expect(routines).not_to_contain_text("Rutinerna har ändrats")
