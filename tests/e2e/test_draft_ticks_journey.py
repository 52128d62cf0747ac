"""A referral draft continued on another tablet: a box unticked when the first tablet saved it
is ticked there, and the saved case has it."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import PORTRAIT, login
from .referral_support import fill_referral
from .seed import seed_case
from .test_drafts_journey import _wait_stored


def _contrast_planned(app: Flask, name: str) -> bool:
    from webapp.extensions import db
    from webapp.models import Case

    with app.app_context():
        case = db.session.query(Case).filter_by(patient_name=name).one()
        return bool(case.referral.contrast_planned)


def test_contrast_ticked_on_a_referral_draft_continued_on_another_tablet_is_saved(
    page: Page, live_server, live_app, make_staff
) -> None:
    seed_case(live_app, sign="")
    make_staff(username="rsk2", display_name="Rut Röntgen")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/new")
    fill_referral(page, "Kontrast Karlsson")
    key = page.locator("#referral-form input[name='form_key']").input_value()
    _wait_stored(live_app, key, "clinical_question", "Blödning?")

    other = page.context.browser.new_context(viewport=PORTRAIT, has_touch=True, locale="sv-SE")
    tablet = other.new_page()
    login(tablet, base, "rsk2")
    tablet.goto(f"{base}/drafts")
    tablet.get_by_role("link", name="Fortsätt").tap()
    expect(tablet.get_by_role("textbox", name="Namn", exact=True)).to_have_value(
        "Kontrast Karlsson"
    )
    tablet.get_by_role("checkbox", name="Med kontrastmedel").check()
    tablet.get_by_role("group", name="Kontrastmedelsallergi").get_by_label("Nej").check()
    tablet.get_by_role("checkbox", name="Njurfunktion okänd").check()
    tablet.get_by_role("group", name="Metformin").get_by_label("Nej").check()
    tablet.get_by_role("button", name="Spara remissen").tap()
    expect(tablet.locator(".flash").first).to_have_text("Remissen är sparad.")
    expect(tablet.locator("main")).to_contain_text("med kontrast")
    assert _contrast_planned(live_app, "Kontrast Karlsson")
    other.close()
