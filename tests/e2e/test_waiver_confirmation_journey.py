"""Secretary: with four eyes, one secretary's waiver waits until a colleague confirms it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import assert_no_horizontal_scroll, check_accessibility, login
from .seed import seed_case

REASON = "Registrerad direkt i RIS av röntgen"


def test_a_waiver_waits_for_a_colleague_who_confirms_it_on_the_tablet(
    page: Page, live_server, live_app, make_staff
) -> None:
    base = live_server.url
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    make_staff(username="sek2", role="secretary", display_name="Sten Sekreterare")
    case_url = f"{base}/catchup/cases/{seeded['case_id']}"

    login(page, base, "sek1")
    page.goto(case_url)
    page.get_by_text("Undanta från efterregistrering").tap()
    page.get_by_label("Orsak").fill(REASON)
    page.get_by_role("button", name="Undanta", exact=True).tap()
    expect(page.locator(".flash-success")).to_contain_text("väntar på att någon annan bekräftar")
    waiver = page.locator("#waiver")
    expect(waiver).to_contain_text("Undantag väntar på bekräftelse")
    # Its author is offered no confirmation, and the case is not closed.
    expect(waiver).to_contain_text("Du gjorde undantaget själv")
    expect(page.get_by_role("button", name="Bekräfta undantaget")).to_have_count(0)
    expect(page.locator(".patient-header .status")).not_to_have_text("Avslutad")
    check_accessibility(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("button", name="Byt användare").tap()
    expect(page.get_by_text("Välj vem du är.")).to_be_visible()
    login(page, base, "sek2")
    page.goto(case_url)
    # The header's wait leads to the waiver's section, where the confirmation is.
    page.locator(".waived").get_by_role("link", name="Undantag väntar på bekräftelse").tap()
    expect(page).to_have_url(f"{case_url}#waiver")
    expect(page.get_by_role("button", name="Bekräfta undantaget")).to_be_in_viewport()
    page.get_by_role("button", name="Bekräfta undantaget").tap()
    expect(page.locator(".flash-success")).to_contain_text("Undantaget är bekräftat.")
    expect(page.locator("#waiver")).to_contain_text("Undantaget bekräftat")
    expect(page.locator("#waiver")).to_contain_text("Sten Sekreterare")
    expect(page.locator(".patient-header .status")).to_have_text("Avslutad")
    check_accessibility(page)
    assert_no_horizontal_scroll(page)
