"""The reporting screen on a tablet: typed text, errors and the patient stay in view."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import login
from .seed import seed_case

IPAD_PORTRAIT = {"width": 820, "height": 1180}


def test_changing_template_keeps_the_typed_text(page: Page, live_server, live_app) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    page.get_by_role("textbox", name="Fynd").fill("Liten subduralblödning höger.")
    page.get_by_role("textbox", name="Bedömning").fill("Akut subduralhematom.")

    page.locator("#template").select_option(label="DT thorax-buk")

    page.wait_for_url(re.compile(r"template=\d+"))
    expect(page.locator("#template option:checked")).to_have_text("DT thorax-buk")
    expect(page.get_by_role("textbox", name="Thorax")).to_have_value("")
    expect(page.get_by_role("textbox", name="Bedömning")).to_have_value("Akut subduralhematom.")
    # The new template has no "Fynd": its text stays, under its own heading.
    expect(page.get_by_role("textbox", name="Fynd")).to_have_value("Liten subduralblödning höger.")


def _in_viewport(page: Page, selector: str) -> bool:
    return page.evaluate(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                    return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_refused_addendum_shows_and_focuses_the_error(page: Page, live_server, live_app) -> None:
    seeded = seed_case(live_app, sign="definitive")
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    page.get_by_role("button", name="Signera tillägg").tap()

    expect(page.locator("#text-error")).to_contain_text("Skriv tillägget.")
    expect(page.get_by_role("textbox", name="Tillägg")).to_be_focused()
    assert _in_viewport(page, "#text-error")


def test_refused_priority_change_shows_and_focuses_the_error(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    page.get_by_role("button", name="Ändra prioritet").tap()

    expect(page.locator("#reason-error")).to_contain_text("Ange varför prioriteten ändras.")
    expect(page.get_by_role("textbox", name="Varför")).to_be_focused()
    assert _in_viewport(page, "#reason-error")


def test_refused_incident_note_shows_and_focuses_the_error(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/incidents/{seeded['incident_id']}")
    page.get_by_role("button", name="Spara anteckning").tap()

    expect(page.locator("#note-error")).to_contain_text("Skriv en anteckning.")
    expect(page.locator("#note")).to_be_focused()
    assert _in_viewport(page, "#note-error")


IDENTITY_IN_VIEW = """() => {
  const line = document.querySelector('.actions-bar .identity-line');
  if (!line) return null;
  const r = line.getBoundingClientRect();
  const shown = el => { const b = el.getBoundingClientRect();
    return b.width > 0 && b.top >= 0 && b.bottom <= window.innerHeight; };
  return { inView: r.top >= 0 && r.bottom <= window.innerHeight,
           code: shown(line.querySelector('.id-code')),
           number: shown(line.querySelector('.id-number')),
           text: line.textContent };
}"""


def test_patient_identity_is_in_view_while_typing_the_last_report_section(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    last = page.locator("#report-form textarea").last
    last.tap()
    last.type("Normalt.")
    assert page.evaluate("window.scrollY") > 0
    assert page.locator(".patient-header").evaluate("e => e.getBoundingClientRect().bottom") < 0

    shown = page.evaluate(IDENTITY_IN_VIEW)
    assert shown is not None
    assert shown["inView"] and shown["code"] and shown["number"]
    assert "Örjan Älvström" in shown["text"]
    assert "19121212-1212" in shown["text"]
    assert seeded["code"] in shown["text"]


def test_patient_identity_is_in_view_at_the_end_of_the_exam_form(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/{seeded['case_id']}/exam")
    last = page.locator("form.clinical textarea").last
    last.tap()
    assert page.locator(".patient-header").evaluate("e => e.getBoundingClientRect().bottom") < 0

    shown = page.evaluate(IDENTITY_IN_VIEW)
    assert shown is not None
    assert shown["inView"] and shown["code"] and shown["number"]
    assert "Örjan Älvström" in shown["text"]
    assert "19121212-1212" in shown["text"]


def test_definitive_signature_needs_a_second_tap(page: Page, live_server, live_app) -> None:
    seeded = seed_case(live_app, sign="")
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    page.get_by_role("textbox", name="Bedömning").fill("Normalt.")
    page.get_by_role("radio", name="PACS").check()
    save = page.get_by_role("button", name="Spara utkast").bounding_box()
    sign = page.locator("summary", has_text="Signera definitivt").bounding_box()
    assert save and sign
    assert sign["x"] - (save["x"] + save["width"]) >= 48  # not beside "Spara utkast"

    page.locator("summary", has_text="Signera definitivt").tap()
    confirm = page.get_by_role("button", name="Ja, signera definitivt")
    expect(confirm).to_be_visible()
    expect(page.locator(".flash")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Bedömning")).to_be_editable()

    confirm.tap()
    expect(page.locator(".flash").first).to_contain_text("definitivt signerat")
    expect(page.get_by_role("textbox", name="Bedömning")).to_have_count(0)


def test_urgent_finding_puts_the_call_in_view_with_one_warning(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    page.set_viewport_size(IPAD_PORTRAIT)
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    page.get_by_role("textbox", name="Bedömning").fill("Subduralhematom höger.")
    page.get_by_label("Akut fynd – remittenten ska ringas").check()
    page.get_by_role("button", name="Signera preliminärt").tap()

    expect(page.locator(".flash").first).to_contain_text("preliminärt signerat")
    expect(page.get_by_text("ring remittenten")).to_have_count(1)
    expect(page.locator(".flash-error")).to_have_count(1)
    reminder = page.locator(".call-reminder")
    log = reminder.get_by_role("link", name="Logga samtal till remittenten")
    call = reminder.get_by_role("link", name="0999-123 45")
    expect(call).to_have_attribute("href", "tel:0999-12345")
    for link in (log, call):
        box = link.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= IPAD_PORTRAIT["height"]

    log.tap()
    case_id = seeded["case_id"]
    page.wait_for_url(re.compile(rf"/reporting/{case_id}/call\?next=/reporting/{case_id}\b"))


def test_now_button_fills_the_time_of_the_call(page: Page, live_server, live_app) -> None:
    seeded = seed_case(live_app, sign="definitive")
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}/call")
    called_at = page.locator("#called_at")
    called_at.fill("2026-01-15T03:00")
    page.get_by_role("button", name="Nu").tap()
    expect(called_at).not_to_have_value("2026-01-15T03:00")
    expect(called_at).to_have_value(re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d$"))
