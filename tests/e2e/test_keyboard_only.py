"""Keyboard only: a referral, its exam and a case's catch-up steps, without touching the screen."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from playwright.sync_api import Page, expect

from ..factories import DEFAULT_PIN
from .keyboard_support import tab_to, walk_tab_order
from .seed import seed_case


def _declare(app: Flask, username: str) -> None:
    from webapp.extensions import db
    from webapp.incidents.services import declare_incident
    from webapp.models import User
    from webapp.sites import site_config

    with app.app_context():
        user = db.session.query(User).filter_by(username=username).one()
        declare_incident(
            user=user, config=site_config(user.site), scenario="integration", is_drill=False
        )


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    _type_into(page, "#username", username)
    _type_into(page, "#secret", DEFAULT_PIN)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")


def _follow(page: Page, selector: str) -> None:
    """Tab to a link or a form's button and press Enter, and wait for the page it opens."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _walk(page: Page) -> None:
    problems = walk_tab_order(page)
    assert problems == [], f"{page.url}\n" + "\n".join(problems)


def _type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def _press(page: Page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    page.keyboard.press(key)


def test_radiographer_makes_a_referral_and_documents_the_exam_by_keyboard(
    page: Page, live_server: Any, live_app: Flask, make_staff: Any
) -> None:
    base = live_server.url
    make_staff(username="kim", display_name="Kim Ström")
    _declare(live_app, "kim")
    _log_in(page, base, "kim")

    _follow(page, "nav a[href='/cases/new']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny remiss")
    _walk(page)
    _type_into(page, "#personal_number", "19121212-1212")
    _type_into(page, "#patient_name", "Örjan Älvström")
    _type_into(page, "#referrer_unit", "Akutmottagningen")
    _type_into(page, "#reply_fax", "0999-123 46")
    _type_into(page, "#exam_text", "hjärna utan")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#exam_text")).to_have_value("DT hjärna utan kontrast")
    expect(page.locator("#modality")).to_have_value("CT")
    _type_into(page, "#clinical_question", "Blödning?")
    _follow(page, "button[type=submit].btn-primary")
    expect(page.locator(".flash")).to_contain_text("Remissen är sparad.")

    _walk(page)
    _follow(page, "a[href$='/exam']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dokumentation av undersökning")
    _walk(page)
    _press(page, "button[data-now-for='started_at']", " ")
    expect(page.locator("#started_at")).not_to_have_value("")
    _type_into(page, "#modality_temp_id", "TMP-CT1-0042")
    _type_into(page, "#dlp_mgycm", "812,5")
    _press(page, "input[name=pacs_status]", " ")
    expect(page.get_by_label("Ja, skickade")).to_be_checked()
    _press(page, "button[data-now-for='pacs_sent_at']", " ")
    _follow(page, "button[type=submit].btn-primary")
    expect(page.locator(".flash")).to_contain_text("sparad")
    expect(page.locator(".patient-header .status")).to_have_text("Undersökning klar")


STEPS = ("booked", "exam_completed", "images_matched", "report_keyed", "correction_list")


def test_secretary_ticks_the_catchup_steps_by_keyboard(
    page: Page, live_server: Any, live_app: Flask, make_staff: Any
) -> None:
    base = live_server.url
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    _log_in(page, base, "sek1")

    _follow(page, "nav a[href='/scan']")
    _walk(page)
    # The scan field has the focus, as a scanner needs; the code can be typed there too.
    _type_into(page, "#code", seeded["code"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/catchup/cases/{seeded['case_id']}$"))
    _walk(page)
    _type_into(page, "#ris_accession", "EXS10000001")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("RIS-numren är sparade.")
    for step in STEPS:
        button = f"button[data-step='{step}']"
        tab_to(page, button)
        with page.expect_navigation():
            page.keyboard.press(" ")
        expect(page.locator(button)).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".patient-header .status")).to_have_text("Inlagd i RIS")
    _walk(page)
