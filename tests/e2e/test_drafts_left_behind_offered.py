"""A form typed offline and its tab closed, then opened again on the same tablet: the text the
tablet held is offered in that form, not only in the list of drafts."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import login
from .seed import seed_case

NOTES = "Patienten rörde sig, serie 3 omtagen."


def test_exam_notes_typed_offline_in_a_closed_tab_are_offered_when_the_exam_form_opens_again(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    base = live_server.url
    exam_url = f"{base}/cases/{seeded['case_id']}/exam"
    login(page, base, "seed-rsk")
    page.goto(exam_url)
    page.context.set_offline(True)
    page.get_by_role("textbox", name="Anteckningar").fill(NOTES)
    expect(page.locator(".draft-status")).to_contain_text("Ingen kontakt", timeout=8000)
    context = page.context
    page.close()

    # Back on the Wi-Fi, the radiographer opens the case's exam form again, not the drafts list.
    context.set_offline(False)
    again = context.new_page()
    again.goto(exam_url)
    offer = again.locator(".draft-offer")
    expect(offer).to_contain_text("Osparad ändring från")
    offer.get_by_role("link", name="Fortsätt").tap()
    expect(again.get_by_role("textbox", name="Anteckningar")).to_have_value(NOTES)
    # The same draft goes on: no second one of the form is begun beside it.
    expect(again.locator(".draft-offer")).to_have_count(0)
