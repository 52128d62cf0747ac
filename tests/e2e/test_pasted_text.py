"""Text pasted from another program with a NUL in it: the form is saved with the rest kept."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import login
from .referral_support import case_count, fill_referral
from .seed import seed_case

PASTE = """(field, text) => {
    field.focus();
    field.value = text;
    field.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertFromPaste"}));
}"""


def _questions(app: Flask) -> list[str]:
    from webapp.extensions import db
    from webapp.models import Referral

    with app.app_context():
        return [r.clinical_question for r in db.session.query(Referral).order_by(Referral.id)]


def test_a_pasted_nul_is_dropped_and_the_referral_is_saved_with_the_rest(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    fill_referral(page, "Klistrad Karlsson")
    question = page.get_by_role("textbox", name="Frågeställning")
    question.evaluate(PASTE, "Huvudvärk\u0000 sedan i går.\u0000")
    expect(question).to_have_value("Huvudvärk sedan i går.")

    # A value set without an input event is cleaned as the form is sent.
    page.get_by_role("textbox", name="Namn", exact=True).evaluate(
        "(field) => { field.value = 'Klistrad\\u0000 Karlsson'; }"
    )
    page.get_by_role("button", name="Spara remissen").tap()
    expect(page.locator(".flash").first).to_have_text("Remissen är sparad.")
    expect(page.locator(".patient-header")).to_contain_text("Klistrad Karlsson")
    assert case_count(live_app) == 2
    assert _questions(live_app)[-1] == "Huvudvärk sedan i går."
