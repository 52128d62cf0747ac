"""The admin pastes three staff lines on the tablet, previews, confirms and opens the PIN slips;
a new user then logs in with the slip's PIN and is asked for their own."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Route, expect

from ..printforms.conftest import pdf_text
from .conftest import check_accessibility, login

# As Excel's copy gives it (tabs), with one line typed by hand.
STAFF = (
    "Namn\tAnvändarnamn\tRoll\nÅsa Öberg\t\tssk\nBo Lind\tbo.lind\tradiolog\n"
    "Cecilia Dahl;;sekreterare"
)


def test_paste_preview_confirm_and_open_the_slips(page: Page, live_server, make_staff) -> None:
    base = live_server.url
    make_staff(username="adm", role="admin", display_name="Ada Admin")
    login(page, base, "adm")
    page.goto(f"{base}/admin/users")
    page.get_by_role("link", name="Lägg till flera användare").tap()
    page.get_by_label("Personal, en per rad").fill(STAFF + "\nDan Berg;chef")
    page.get_by_role("button", name="Förhandsgranska").tap()
    preview = page.locator("#preview")
    expect(preview).to_contain_text('Okänd roll "chef"')
    expect(page.get_by_role("button", name=re.compile("Skapa"))).to_have_count(0)
    expect(page.get_by_label("Personal, en per rad")).to_have_value(re.compile("Dan Berg;chef"))
    check_accessibility(page)

    page.get_by_label("Personal, en per rad").fill(STAFF)
    page.get_by_role("button", name="Förhandsgranska").tap()
    for name, username in (("Åsa Öberg", "asa.oberg"), ("Bo Lind", "bo.lind")):
        expect(preview.get_by_role("row", name=re.compile(name))).to_contain_text(username)
    page.get_by_role("button", name="Skapa 3 användare").tap()
    expect(page.locator(".flashes")).to_contain_text("3 användare är skapade.")
    expect(page.get_by_role("table")).to_contain_text("cecilia.dahl")
    check_accessibility(page)

    slips: list[bytes] = []

    def keep(route: Route) -> None:
        response = route.fetch()
        slips.append(response.body())
        route.fulfill(response=response)

    page.context.route("**/slips", keep)
    button = page.get_by_role("button", name="Skriv ut PIN-lappar")
    with page.expect_popup() as popup:
        button.tap()
    popup.value.wait_for_load_state()
    (pdf,) = slips
    text = " ".join(pdf_text(pdf).split())
    pins = dict(re.findall(r"Användarnamn: (\S+) Tillfällig PIN-kod: (\d{6})", text))
    assert set(pins) == {"asa.oberg", "bo.lind", "cecilia.dahl"}
    assert "Åsa Öberg" in text and "Byt PIN-kod vid första inloggningen" in text
    popup.value.close()
    page.reload()
    expect(page.locator("main")).to_contain_text("visades en gång")

    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.get_by_label("Användarnamn").fill("asa.oberg")
    page.get_by_label("PIN-kod eller lösenord").fill(pins["asa.oberg"])
    page.get_by_role("button", name="Logga in").tap()
    page.wait_for_url(re.compile(r"/me/secret"))
