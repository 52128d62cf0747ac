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
    expect(page.locator(".flash")).to_contain_text("RIS-numren är sparade")
    # Booked with the accession saved; the other steps are ticked.
    expect(page.locator("button[data-step='booked']")).to_have_attribute("aria-pressed", "true")
    for step in STEPS[1:]:
        button = f"button[data-step='{step}']"
        tab_to(page, button)
        with page.expect_navigation():
            page.keyboard.press(" ")
        expect(page.locator(button)).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".patient-header .status")).to_have_text("Inlagd i RIS")
    _walk(page)


def _another_case(app: Flask, incident_id: int) -> dict[str, Any]:
    """A second referral in the seeded incident: the next paper in the red tray."""
    from webapp.cases.creation import create_case
    from webapp.extensions import db
    from webapp.models import Case, Incident, User, utcnow

    from ..factories import referral_data

    with app.app_context():
        staff = db.session.query(User).filter_by(username="seed-rsk").one()
        ref = referral_data(key_suffix="next")
        result = create_case(
            user=staff,
            incident=db.session.get(Incident, incident_id),
            identity={
                "patient_id_kind": "personnummer",
                "patient_id": "198001010027",
                "patient_sex": "F",
                "patient_name": "Åsa Öberg",
            },
            priority="akut",
            modality="CT",
            referral={
                k: ref[k] for k in ("referrer_unit", "reply_fax", "exam_text", "clinical_question")
            }
            | {"arrived_via": "fax", "arrived_at": utcnow()},
            form_key="nextref" + "x" * 20,
            digest="0",
            url_for_case=lambda c: f"/cases/{c.id}",
        )
        case = db.session.get(Case, result.case_id)
        return {"case_id": case.id, "code": case.code}


def _focused_is(page: Page, selector: str) -> bool:
    return bool(page.evaluate("s => document.activeElement.matches(s)", selector))


def test_secretary_keys_one_case_after_another_without_tabbing_between_steps(
    page: Page, live_server: Any, live_app: Flask, make_staff: Any
) -> None:
    """Each tick's page comes back focused on the next step, the last one's on Skanna nästa:
    after the accession, Space and Enter alone key the case and open the next paper."""
    base = live_server.url
    seeded = seed_case(live_app)
    following = _another_case(live_app, seeded["incident_id"])
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    _log_in(page, base, "sek1")
    page.goto(base + "/scan")
    expect(page.locator("#code")).to_be_focused()
    page.keyboard.type(seeded["code"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/catchup/cases/{seeded['case_id']}$"))
    # Opened from a scan, the page takes no focus: the secretary reads the paper first.
    assert page.evaluate("document.activeElement === document.body")

    # Tab from the top reaches each copy button in RIS order, then the accession.
    copied: list[str] = []
    for _ in range(120):
        page.keyboard.press("Tab")
        if _focused_is(page, "#ris_accession"):
            break
        if _focused_is(page, ".copy-btn"):
            copied.append(page.evaluate("document.activeElement.dataset.copy"))
    else:
        raise AssertionError("Tab never reached #ris_accession")
    in_ris_order = page.locator(".copy-btn").evaluate_all("bs => bs.map(b => b.dataset.copy)")
    assert copied == in_ris_order and copied[:2] == ["val-pid", "val-name"], copied
    tops = page.locator(".copy-btn").evaluate_all(
        "bs => bs.map(b => b.getBoundingClientRect().top)"
    )
    assert tops == sorted(tops), tops

    page.keyboard.type("EXS10000001")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("RIS-numren är sparade")
    expect(page.locator("button[data-step='booked']")).to_have_attribute("aria-pressed", "true")
    for step in STEPS[1:]:
        button = page.locator(f"button[data-step='{step}']")
        expect(button).to_be_focused()
        with page.expect_navigation():
            page.keyboard.press(" ")
        expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".patient-header .status")).to_have_text("Inlagd i RIS")
    scan_next = page.locator("#scan-next")
    expect(scan_next).to_be_focused()
    expect(scan_next).to_be_in_viewport()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator("#code")).to_be_focused()
    page.keyboard.type(following["code"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/catchup/cases/{following['case_id']}$"))
    expect(page.locator(".patient-header")).to_contain_text("Åsa Öberg")


def test_a_preliminary_report_ticked_unconfirmed_puts_the_keyboard_on_the_box_to_confirm(
    page: Page, live_server: Any, live_app: Flask, make_staff: Any
) -> None:
    """Refused, the page comes back on what the refusal asks for: Space ticks the box, Tab
    goes on to the step, and Space keys the report as preliminary."""
    base = live_server.url
    seeded = seed_case(live_app, sign="preliminary")
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    _log_in(page, base, "sek1")
    page.goto(f"{base}/catchup/cases/{seeded['case_id']}")
    _type_into(page, "#ris_accession", "EXS10000001")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Booked with the accession: the report is keyed onto the exam's order in RIS.
    expect(page.locator("button[data-step='booked']")).to_have_attribute("aria-pressed", "true")
    step = page.locator("button[data-step='report_keyed']")
    tab_to(page, "button[data-step='report_keyed']")
    with page.expect_navigation():
        page.keyboard.press(" ")
    box = page.get_by_role("checkbox", name="Lägg in som preliminärt")
    expect(box).to_be_focused()
    expect(box).to_have_accessible_description(re.compile("Bekräfta att det ska läggas in"))
    expect(box).to_be_in_viewport()
    page.keyboard.press(" ")
    expect(box).to_be_checked()
    page.keyboard.press("Tab")
    expect(step).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press(" ")
    expect(step).to_have_attribute("aria-pressed", "true")
