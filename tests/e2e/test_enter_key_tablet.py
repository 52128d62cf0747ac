"""Enter on a tablet: the long case forms go to the next field; short forms still send.

The iPad keyboard's "Gå" key is Enter: in a long form it sent the referral half read.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ..factories import DEFAULT_PIN
from .conftest import login
from .referral_support import case_count, fill_referral
from .seed import seed_case

# Long enough for the server to answer a send that should not have happened.
SETTLE_MS = 800


def _form_posts(page: Page, path: str) -> list[str]:
    posts: list[str] = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and r.url.endswith(path) else None,
    )
    return posts


def _new_referral(page: Page, live_server, live_app, name: str) -> list[str]:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    fill_referral(page, name)
    return _form_posts(page, "/cases/new")


def test_enter_in_the_referrals_patient_name_moves_to_the_next_field_and_sends_nothing(
    page: Page, live_server, live_app
) -> None:
    posts = _new_referral(page, live_server, live_app, "Enter Eriksson")
    name = page.get_by_role("textbox", name="Namn", exact=True)
    expect(name).to_have_attribute("enterkeyhint", "next")
    name.focus()
    page.keyboard.press("Enter")

    expect(page.locator("#referrer_unit")).to_be_focused()
    page.wait_for_timeout(SETTLE_MS)
    assert posts == []
    assert case_count(live_app) == 1  # the seeded case only
    expect(name).to_have_value("Enter Eriksson")


def test_enter_skips_the_fields_hidden_or_disabled(page: Page, live_server, live_app) -> None:
    _new_referral(page, live_server, live_app, "Dold Dahl")
    # With a personnummer the reserve number's field is hidden: the name comes next.
    page.locator("#personal_number").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#patient_name")).to_be_focused()
    page.locator("#referrer_clinician").evaluate("e => { e.disabled = true; }")
    page.locator("#referrer_unit").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#referrer_phone")).to_be_focused()


def test_shift_enter_goes_back_a_field_as_shift_tab_does(page: Page, live_server, live_app) -> None:
    # A hardware keyboard on a tablet: Shift+Enter going forward as well left no way back
    # but a tap.
    posts = _new_referral(page, live_server, live_app, "Bakåt Berg")
    page.locator("#referrer_unit").focus()
    page.keyboard.press("Shift+Enter")
    expect(page.get_by_role("textbox", name="Namn", exact=True)).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#personal_number")).to_be_focused()
    page.locator("#referrer_unit").focus()
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    expect(page.locator("#personal_number")).to_be_focused()
    page.wait_for_timeout(SETTLE_MS)
    assert posts == []


def test_enter_in_the_referrals_last_field_sends_nothing(page: Page, live_server, live_app) -> None:
    posts = _new_referral(page, live_server, live_app, "Sist Svensson")
    for field in ("#infection_note", "#arrived_at"):
        page.locator(field).focus()
        page.keyboard.press("Enter")
    # The last field: nothing comes after it to go to, and the iPad key says so.
    expect(page.locator("#arrived_at")).to_have_attribute("enterkeyhint", "done")
    page.wait_for_timeout(SETTLE_MS)
    assert posts == []
    assert case_count(live_app) == 1


def test_enter_on_the_referrals_save_button_still_sends_it(
    page: Page, live_server, live_app
) -> None:
    _new_referral(page, live_server, live_app, "Knapp Karlsson")
    page.get_by_role("button", name="Spara remissen").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flash").first).to_have_text("Remissen är sparad.")
    assert case_count(live_app) == 2


def test_enter_in_the_exam_form_moves_on_without_sending(page: Page, live_server, live_app) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    path = f"/cases/{seeded['case_id']}/exam"
    page.goto(live_server.url + path)
    posts = _form_posts(page, path)
    page.locator("#modality_temp_id").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#modality_temp_id")).not_to_be_focused()
    page.wait_for_timeout(SETTLE_MS)
    assert posts == []


def test_enter_in_the_scan_lookup_still_opens_the_case(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    login(page, live_server.url, "sek1")
    page.goto(f"{live_server.url}/scan")
    page.keyboard.type(seeded["code"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/catchup/cases/{seeded['case_id']}")


def test_enter_after_the_username_goes_on_to_the_pin_and_sends_nothing(
    page: Page, live_server, live_app, make_staff
) -> None:
    # The iPad's "Gå" after the username sent the login without its PIN: refused, the page
    # drawn again, the keyboard gone.
    make_staff(username="rsk1", role="radiographer", display_name="Rut Röntgen")
    page.goto(f"{live_server.url}/login")
    posts = _form_posts(page, "/login")
    username = page.get_by_label("Användarnamn")
    expect(username).to_have_attribute("enterkeyhint", "next")
    username.fill("rsk1")
    username.press("Enter")
    secret = page.get_by_label("PIN-kod eller lösenord")
    expect(secret).to_be_focused()
    page.wait_for_timeout(SETTLE_MS)
    assert posts == []
    expect(secret).to_have_attribute("enterkeyhint", "go")
    secret.fill(DEFAULT_PIN)
    secret.press("Enter")
    page.wait_for_url(f"{live_server.url}/")


def test_enter_after_the_username_sends_a_login_whose_pin_is_filled(
    page: Page, live_server, live_app, make_staff
) -> None:
    # The tablet's password manager filled both: Enter logs in, as it did.
    make_staff(username="rsk1", role="radiographer", display_name="Rut Röntgen")
    page.goto(f"{live_server.url}/login")
    page.get_by_label("PIN-kod eller lösenord").fill(DEFAULT_PIN)
    page.get_by_label("Användarnamn").fill("rsk1")
    page.get_by_label("Användarnamn").press("Enter")
    page.wait_for_url(f"{live_server.url}/")
