"""Print a case from the tablet: one tap opens a PDF with every document."""

from __future__ import annotations

from flask import Flask
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


def test_binder_blanks_refused_on_the_page_then_printed_from_its_link(
    page: Page, live_server, make_staff
) -> None:
    base = live_server.url
    make_staff(username="adm", role="admin", display_name="Ada Admin")
    login(page, base, "adm")
    page.goto(f"{base}/blanks/")
    page.get_by_label("Märkning (t.ex. pärm, plats)").fill("Pärm akuten")
    page.get_by_label("Antal").fill("0")
    page.get_by_role("button", name="Reservera koder").tap()
    # Said beside the field on the page the admin is on, what was typed kept; no tab opened.
    expect(page.locator("#count-error")).to_contain_text("Ange 1–200 blanketter.")
    expect(page.get_by_label("Märkning (t.ex. pärm, plats)")).to_have_value("Pärm akuten")
    assert len(page.context.pages) == 1
    check_accessibility(page)
    page.get_by_label("Antal").fill("2")
    page.get_by_role("button", name="Reservera koder").tap()
    expect(page.locator("#batch")).to_contain_text("2 blanketter reserverade")
    link = page.get_by_role("link", name="Skriv ut blanketterna (PDF)")
    expect(link).to_have_attribute("target", "_blank")
    with page.expect_popup() as popup:
        link.tap()
    response = page.context.request.get(base + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert len(decoded_payloads(response.body(), STANDARD_FAX)) == 2
    popup.value.close()


def _release_by_post(app: Flask, case_id: int) -> int:
    """A release of the case's images and report to another region's hospital, sent by post."""
    from webapp.extensions import db
    from webapp.models import Case, User
    from webapp.routines.queries import release_context
    from webapp.routines.release_services import request_release
    from webapp.routines.rules import ReleaseRequest
    from webapp.routines.services import SentForm
    from webapp.sites import site_config

    with app.app_context():
        user = db.session.query(User).filter_by(username="seed-rsk").one()
        case = db.session.get(Case, case_id)
        result, _ = request_release(
            case_id=case_id,
            user=user,
            incident=case.incident,
            request=ReleaseRequest(
                recipient_kind="other_region_hospital",
                channel="media",
                recipient_name="Växjö lasarett",
                media_kind="cd",
                delivery="post",
                recipient_not_on_iep=True,
            ),
            ctx=release_context(site_config(user.site)),
            sent=SentForm(),
            url_for_release=lambda i: f"/routines/releases/{i}",
        )
        return int(result.url.rsplit("/", 1)[-1])


def test_the_recipients_report_refused_on_the_release_page_then_opened_in_a_new_tab(
    page: Page, live_server, live_app
) -> None:
    base = live_server.url
    seeded = seed_case(live_app)
    release_id = _release_by_post(live_app, seeded["case_id"])
    login(page, base, "seed-rsk")
    page.goto(f"{base}/routines/releases/{release_id}")
    page.get_by_label("Svarsmottagare (namn)").fill("Röntgen Växjö lasarett")
    page.get_by_role("button", name="Skriv ut utlåtandet").tap()
    # The address is missing: said beside it on this page, the name kept, no tab opened.
    expect(page.locator("#svar-recipient_address-error")).to_contain_text("Ange adressen")
    expect(page.get_by_label("Svarsmottagare (namn)")).to_have_value("Röntgen Växjö lasarett")
    assert len(page.context.pages) == 1
    check_accessibility(page)
    page.get_by_label("Svarsmottagarens adress").fill("Box 1\n351 85 Växjö")
    page.get_by_role("button", name="Skriv ut utlåtandet").tap()
    expect(page.locator("#report-print")).to_contain_text("351 85 Växjö")
    check_accessibility(page)
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Öppna utlåtandet (PDF)").tap()
    pdf = popup.value
    pdf.wait_for_load_state()
    assert pdf.url.endswith(f"/routines/releases/{release_id}/report.pdf")
    pdf.close()
    # The page the user is on still shows the release, ready to print again or change.
    expect(page.get_by_role("button", name="Ändra")).to_be_visible()
