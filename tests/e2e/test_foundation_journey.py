"""Log in on a tablet, declare an incident, tick a notification."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import LANDSCAPE, PORTRAIT, assert_no_horizontal_scroll, check_accessibility, login


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_declare_incident_and_tick_notification(
    page: Page, live_server, make_staff, viewport
) -> None:
    page.set_viewport_size(viewport)
    make_staff(username="kim", role="radiographer", display_name="Kim Ström")
    login(page, live_server.url, "kim")
    check_accessibility(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name="Registrera driftstopp").first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera driftstopp")
    check_accessibility(page)
    page.get_by_label("Integrationsmotorn nere (remisser når inte RIS)").check()
    page.get_by_label("Övning (inte ett verkligt driftstopp)").check()
    page.get_by_role("button", name="Registrera och visa rutinen").tap()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Integrationsmotorn nere")
    expect(page.locator(".drill-banner")).to_contain_text("ÖVNING")
    check_accessibility(page)
    assert_no_horizontal_scroll(page)

    tib = page.locator("button[data-step='tib_informed']")
    expect(tib).to_have_attribute("aria-pressed", "false")
    tib.tap()
    tib = page.locator("button[data-step='tib_informed']")
    expect(tib).to_have_attribute("aria-pressed", "true")
    expect(tib).to_contain_text("Kim Ström")
    expect(page.locator(".log")).to_contain_text("TiB informerad")
    check_accessibility(page)


def test_switch_user_takes_two_taps(page: Page, live_server, make_staff) -> None:
    make_staff(username="kim", display_name="Kim Ström")
    make_staff(username="ali", role="radiologist", display_name="Ali Öz")
    login(page, live_server.url, "ali")
    page.get_by_role("button", name="Logga ut").tap()
    expect(page.locator(".flash")).to_contain_text("Du är utloggad.")
    login(page, live_server.url, "kim")
    page.get_by_role("button", name="Byt användare").tap()
    expect(page.locator(".flash")).to_contain_text("Välj vem du är.")
    check_accessibility(page)
    page.get_by_role("link", name="ali").tap()
    expect(page.get_by_label("Användarnamn")).to_have_value("ali")
    expect(page.get_by_label("PIN-kod eller lösenord")).to_be_focused()
    page.keyboard.type("482915")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hej Ali Öz")


def test_setup_page_on_fresh_install(
    page: Page, live_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A laptop on the network, whatever this machine's own are (none: no QR, a warning).
    monkeypatch.setattr("webapp.network.lan_addresses", lambda: ["192.168.50.7"])
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Första start")
    check_accessibility(page)
    page.get_by_role("textbox", name="Namn", exact=True).fill("Åsa Admin")
    page.get_by_label("Användarnamn").fill("asa")
    page.get_by_label("PIN-kod (minst 6 siffror)").check()
    page.get_by_label("PIN-kod eller lösenord").fill("123")
    page.get_by_label("Upprepa").fill("123")
    page.get_by_role("button", name="Skapa administratör").tap()
    expect(page.locator(".error").first).to_contain_text("minst 6 siffror")
    expect(page.get_by_role("textbox", name="Namn", exact=True)).to_have_value("Åsa Admin")
    check_accessibility(page)
    page.get_by_label("PIN-kod eller lösenord").fill("583920")
    page.get_by_label("Upprepa").fill("583920")
    page.get_by_role("button", name="Skapa administratör").tap()
    expect(page.locator(".flash")).to_contain_text("Administratören är skapad")
    login(page, live_server.url, "asa", "583920")
    page.get_by_role("link", name="Administration").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    expect(page.locator("img.lan-qr")).to_be_visible()
    check_accessibility(page)


def test_a_pin_set_by_an_admin_is_replaced_at_the_first_login(
    page: Page, live_server, make_staff
) -> None:
    make_staff(username="bo", display_name="Bo Berg", temporary=True)
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Användarnamn").fill("bo")
    page.get_by_label("PIN-kod eller lösenord").fill("482915")
    page.get_by_role("button", name="Logga in").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Byt PIN-kod eller lösenord")
    expect(page.locator(".flash-info")).to_contain_text("satt av en administratör")
    check_accessibility(page)
    assert_no_horizontal_scroll(page)
    # The tablet shows the number pad for a PIN.
    expect(page.get_by_label("Nuvarande PIN-kod eller lösenord")).to_have_attribute(
        "inputmode", "numeric"
    )
    page.get_by_label("Nuvarande PIN-kod eller lösenord").fill("482915")
    page.get_by_label("Ny PIN-kod eller nytt lösenord").fill("593817")
    page.get_by_label("Upprepa den nya").fill("593871")
    page.get_by_role("button", name="Spara ny").tap()
    expect(page.locator("#confirm-error")).to_contain_text("inte lika")
    page.get_by_label("Nuvarande PIN-kod eller lösenord").fill("482915")
    page.get_by_label("Ny PIN-kod eller nytt lösenord").fill("593817")
    page.get_by_label("Upprepa den nya").fill("593817")
    page.get_by_role("button", name="Spara ny").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hej Bo Berg")
    expect(page.locator(".flash-success")).to_contain_text("gäller från nu")
