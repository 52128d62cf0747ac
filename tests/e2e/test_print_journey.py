"""Print a case from the tablet: one tap opens a PDF with every document."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ..printforms.conftest import STANDARD_FAX, decoded_payloads
from .conftest import check_accessibility, login
from .seed import seed_case


def test_print_everything_from_the_case_page(page: Page, live_server, live_app, make_staff) -> None:
    seeded = seed_case(live_app)
    make_staff(username="kim", display_name="Kim Ström")
    login(page, live_server.url, "kim")
    page.goto(f"{live_server.url}/cases/{seeded['case_id']}")
    check_accessibility(page)
    link = page.get_by_role("link", name="Skriv ut allt (röd back)")
    expect(link).to_have_attribute("target", "_blank")
    with page.expect_popup() as popup:
        link.tap()
    pdf_page = popup.value
    response = page.context.request.get(live_server.url + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    docs = [found[0].split(":")[2] for found in decoded_payloads(body, STANDARD_FAX)]
    assert docs == ["BAK", "REM", "DOK", "UTL"]
    pdf_page.close()
