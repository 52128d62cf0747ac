"""Logged out in another tab while a form is open: the way back in leads to the same form.

Saving the form then is refused for its security token; reloading would send that POST again
and be refused again. The page says the user is logged out and its link logs in and opens the
form anew, with both what the laptop held and what only the tablet held.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ..factories import DEFAULT_PIN
from .conftest import check_accessibility, login
from .logout_support import log_in_again, log_out_in_another_tab
from .seed import seed_case


def test_a_form_saved_after_logout_in_another_tab_comes_back_after_login(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    base = live_server.url
    edit_url = f"{base}/cases/{seeded['case_id']}/referral"
    login(page, base, "seed-rsk")
    page.goto(edit_url)
    page.get_by_role("textbox", name="Anamnes").fill("Waran. Nu även kräkningar.")
    status = page.locator(".draft-status")
    expect(status).to_contain_text("Utkast sparat på datorn")
    key = page.locator("#referral-form input[name='form_key']").input_value()

    log_out_in_another_tab(page, base)

    question = page.get_by_role("textbox", name="Frågeställning")
    question.fill("Blödning? Kontroll efter fall.")
    # The autosave after the logout says so, not that the laptop refused the text.
    expect(status).to_contain_text("Du är utloggad. Texten finns kvar på plattan")

    page.get_by_role("button", name="Spara ändringen").tap()
    expect(page.get_by_role("heading", name="Du är utloggad")).to_be_visible()
    expect(page.get_by_text("Örjan")).to_have_count(0)
    check_accessibility(page)
    page.get_by_role("link", name="Logga in igen och fortsätt").tap()

    page.wait_for_url("**/login?next=**")
    page.get_by_label("Användarnamn").fill("seed-rsk")
    page.get_by_label("PIN-kod eller lösenord").fill(DEFAULT_PIN)
    page.get_by_role("button", name="Logga in").tap()
    page.wait_for_url(f"{edit_url}?draft={key}")
    expect(page.get_by_role("textbox", name="Anamnes")).to_have_value("Waran. Nu även kräkningar.")
    expect(page.get_by_role("textbox", name="Frågeställning")).to_have_value(
        "Blödning? Kontroll efter fall."
    )
    expect(status).to_contain_text("Utkast sparat på datorn")


def test_a_cancel_reason_sent_after_logout_comes_back_in_its_box_after_login(
    page: Page, live_server, live_app
) -> None:
    # The cancel posts to an address with no page of its own: the way back is the case page,
    # which draws several autosaved forms and must be told which one the text is of.
    seeded = seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/{seeded['case_id']}")
    box = page.locator("#cancel")
    box.get_by_text("Makulera ärendet").tap()
    reason = box.get_by_role("textbox", name="Orsak")
    reason.fill("Dubblett av faxad remiss")
    expect(box.locator(".draft-status")).to_contain_text("Utkast sparat på datorn")

    log_out_in_another_tab(page, base)

    reason.fill("Dubblett av faxad remiss – aldrig undersökt här")
    expect(box.locator(".draft-status")).to_contain_text("Du är utloggad")
    box.get_by_label("Jag vet att det ska städas upp i RIS/PACS").check()
    box.get_by_role("button", name="Makulera").tap()
    log_in_again(page, "seed-rsk")
    page.wait_for_url(f"{base}/cases/{seeded['case_id']}?**")

    expect(box.get_by_role("textbox", name="Orsak")).to_have_value(
        "Dubblett av faxad remiss – aldrig undersökt här"
    )
    expect(box.locator(".draft-status")).to_contain_text("Utkast sparat på datorn")
