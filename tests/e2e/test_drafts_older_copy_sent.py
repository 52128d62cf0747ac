"""A referral sent from a tablet whose page is older than its draft: the text another tablet
typed on is neither left out unsaid nor dropped from that tablet."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import PORTRAIT, login
from .referral_support import case_count, fill_referral
from .seed import seed_case
from .test_drafts_journey import _wait_stored


def test_an_older_copy_sent_is_refused_then_sent_knowingly_and_the_newer_text_is_kept(
    page: Page, live_server, live_app, make_staff
) -> None:
    seed_case(live_app, sign="")
    make_staff(role="radiographer", username="rsk2", display_name="Rut Röntgen")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/new")
    fill_referral(page, "Två Plattor")
    key = page.locator("form.clinical input[name='form_key']").input_value()
    _wait_stored(live_app, key, "clinical_question", "Blödning?")

    # A colleague continues the draft on a second tablet and adds to the question.
    other = page.context.browser.new_context(viewport=PORTRAIT, has_touch=True, locale="sv-SE")
    tablet = other.new_page()
    login(tablet, base, "rsk2")
    tablet.goto(f"{base}/cases/new?draft={key}")
    question = tablet.get_by_role("textbox", name="Frågeställning")
    expect(question).to_have_value("Blödning?")
    question.fill("Blödning? Kräktes två gånger.")
    _wait_stored(live_app, key, "clinical_question", "Blödning? Kräktes två gånger.")

    # The first tablet, whose page still shows the older text, sends it: refused, text kept.
    page.get_by_role("button", name="Spara remissen").tap()
    expect(page.locator(".flash-error").first).to_contain_text("fortsattes på en annan platta")
    expect(page.get_by_role("textbox", name="Frågeställning")).to_have_value("Blödning?")
    expect(page.get_by_role("link", name="Öppna den nyare versionen")).to_be_visible()
    assert case_count(live_app) == 1

    # Sent as it is, knowingly, after the confirm box.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Skicka det som står här ändå").tap()
    expect(page.locator(".flash").first).to_have_text("Remissen är sparad.")
    assert case_count(live_app) == 2

    # The colleague types on: told the form was sent without it, their text kept as a draft.
    question.fill("Blödning? Kräktes två gånger. Nackstel.")
    expect(tablet.locator(".draft-status")).to_contain_text(
        "skickades från en annan platta utan det du skrivit", timeout=15000
    )
    new_key = tablet.locator("form.clinical input[name='form_key']").input_value()
    assert new_key != key
    _wait_stored(live_app, new_key, "clinical_question", "Blödning? Kräktes två gånger. Nackstel.")
    other.close()
