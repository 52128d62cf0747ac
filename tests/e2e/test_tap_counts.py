"""Taps and fields of the four flows staff do most in an outage, on a portrait tablet, pinned.

A tap is a finger on the screen: a link, a button, a choice, or a field that is not already
focused. Typing and the keyboard's own keys (Enter goes on to the next field) are no taps.
A count that grows fails here: whoever adds a tap to these flows decides it in this file.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Locator, Page, expect

from .conftest import login
from .referral_support import case_count
from .seed import akut_case, seed_case


class Taps:
    """Counts the taps and the fields touched on one tablet."""

    def __init__(self) -> None:
        self.taps = 0
        self.fields: set[str] = set()

    def tap(self, target: Locator) -> None:
        target.tap()
        self.taps += 1

    def type_into(self, field: Locator, text: str) -> None:
        if not field.evaluate("el => el === document.activeElement"):
            self.tap(field)
        field.fill(text)
        self.fields.add(field.get_attribute("name") or "")

    def choose(self, choice: Locator) -> None:
        self.tap(choice)
        self.fields.add(choice.get_attribute("name") or "")


def _in_view(target: Locator) -> bool:
    """Whether the target shows on the screen as the page stands (no scrolling needed)."""
    return bool(
        target.evaluate(
            """el => { const r = el.getBoundingClientRect();
                       return r.top >= 0 && r.bottom <= window.innerHeight; }"""
        )
    )


def _declare(page: Page, base: str) -> None:
    page.goto(base + "/incidents/new")
    page.get_by_label("Integrationsmotorn nere (remisser når inte RIS)").check()
    page.get_by_role("button", name="Registrera och visa rutinen").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Integrationsmotorn")


def test_acute_referral_then_its_exam(page: Page, live_server, live_app, make_staff) -> None:
    base = live_server.url
    make_staff(username="kim", display_name="Kim Ström")
    login(page, base, "kim")
    _declare(page, base)

    # (1) An acute CT head phoned in: priority, arrival (now, by fax) and modality need no tap.
    referral = Taps()
    referral.tap(page.get_by_role("link", name="Ny remiss").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny remiss")
    referral.type_into(page.get_by_role("textbox", name="Personnummer"), "19121212-1212")
    referral.type_into(page.get_by_role("textbox", name="Namn", exact=True), "Örjan Älvström")
    referral.type_into(page.get_by_role("textbox", name="Remitterande enhet"), "Akutmottagningen")
    referral.type_into(page.get_by_role("textbox", name="Svarsfax"), "0999-123 46")
    referral.type_into(page.get_by_role("combobox", name="Undersökning"), "hjärna utan")
    referral.tap(page.get_by_role("option", name=re.compile("DT hjärna utan kontrast")))
    expect(page.locator("#modality")).to_have_value("CT")
    referral.type_into(page.get_by_role("textbox", name="Frågeställning"), "Blödning?")
    save = page.get_by_role("button", name="Spara remissen")
    assert _in_view(save), "the save button scrolls with the form"
    referral.tap(save)
    expect(page.locator(".flash")).to_contain_text("Remissen är sparad.")
    assert case_count(live_app) == 1
    # The page opens with the cursor in Personnummer: that field takes no tap.
    assert (referral.taps, len(referral.fields)) == (8, 6)

    # (2) Its exam, offered on the page the save lands on.
    exam = Taps()
    document = page.get_by_role("link", name="Dokumentera undersökning")
    assert _in_view(document)
    exam.tap(document)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dokumentation av undersökning")
    expect(page.get_by_role("textbox", name="Röntgensjuksköterska/-or")).to_have_value("Kim Ström")
    exam.tap(page.locator("button[data-now-for='started_at']"))
    exam.fields.add("started_at")
    exam.type_into(page.get_by_role("textbox", name="Tillfälligt patient-ID på modaliteten"), "T-1")
    # "Ja, skickade" fills the empty send time with now, as its "Nu" button would.
    exam.choose(page.get_by_label("Ja, skickade"))
    expect(page.locator("#pacs_sent_at")).to_have_value(re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d"))
    save = page.get_by_role("button", name="Spara dokumentationen")
    assert _in_view(save)
    exam.tap(save)
    expect(page.locator(".flash")).to_contain_text("Dokumentationen är sparad.")
    expect(page.locator(".patient-header .status")).to_have_text("Undersökning klar")
    # The next step, the red tray's print, is on the screen the save lands on.
    assert _in_view(page.get_by_role("link", name="Skriv ut allt (röd back)"))
    assert (exam.taps, len(exam.fields)) == (5, 3)


def test_report_written_and_signed_definitively(page: Page, live_server, live_app) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/")

    # (3) From the worklist: two sections typed, where it was read, and the two-tap signing,
    # whose second tap is the confirmation a definitive signature keeps.
    report = Taps()
    report.tap(page.get_by_role("link", name=seeded["code"]))
    report.type_into(page.get_by_role("textbox", name="Fynd"), "Ingen blödning.")
    report.type_into(page.get_by_role("textbox", name="Bedömning"), "Normalt.")
    report.choose(page.get_by_role("radio", name="PACS"))
    sign = page.get_by_text("Signera definitivt", exact=True)
    assert _in_view(sign)
    report.tap(sign)
    report.tap(page.get_by_role("button", name="Ja, signera definitivt"))
    expect(page.locator(".flash")).to_contain_text("definitivt")
    # The next step, the sheet to fax to the referrer, is on the screen the signature lands on.
    print_for_fax = page.get_by_role("link", name="Skriv ut utlåtandet för fax")
    expect(print_for_fax).to_be_visible()
    assert _in_view(print_for_fax)
    assert (report.taps, len(report.fields)) == (6, 3)


def test_catch_up_steps_of_a_scanned_case(page: Page, live_server, live_app, make_staff) -> None:
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    login(page, live_server.url, "sek1")

    # (4) The sheet scanned (the scanner types into the focused field), the RIS number typed
    # and sent with Enter, which marks the exam booked too (RIS gives an accession only to a
    # booked exam), then the four steps left: each tick brings the next one into view.
    steps = Taps()
    steps.tap(page.get_by_role("link", name="Skanna"))
    expect(page.get_by_label("Kod")).to_be_focused()
    page.keyboard.type(seeded["code"])
    page.keyboard.press("Enter")
    expect(page.locator(".patient-header")).to_contain_text("19121212-1212")
    steps.type_into(page.get_by_label("Accessionsnummer (RIS)"), "EXS10000001")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("RIS-numren är sparade")
    expect(page.locator("button[data-step='booked']")).to_have_attribute("aria-pressed", "true")
    for step in ("exam_completed", "images_matched", "report_keyed", "correction_list"):
        tick = page.locator(f"button[data-step='{step}']")
        expect(tick).to_be_focused()
        assert _in_view(tick)
        steps.tap(tick)
        expect(tick).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".patient-header .status")).to_have_text("Inlagd i RIS")
    assert (steps.taps, len(steps.fields)) == (6, 1)


def test_send_time_filled_by_yes_goes_with_another_answer(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    case_id = akut_case(live_app, seeded["incident_id"])  # referred, no exam yet
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/{case_id}/exam")
    sent = page.locator("#pacs_sent_at")
    page.get_by_label("Ja, skickade").tap()
    expect(sent).not_to_have_value("")
    # Changed before the time was touched: no time is left for images not sent.
    page.get_by_label("Nej, inte skickade").tap()
    expect(sent).to_have_value("")
    # A time typed by hand is the user's own: neither answer takes it away.
    sent.fill("2026-01-15T10:55")
    page.get_by_label("Ja, skickade").tap()
    page.get_by_label("Misslyckades").tap()
    expect(sent).to_have_value("2026-01-15T10:55")


def test_a_restored_yes_without_a_time_is_not_given_the_time_of_the_restore(
    page: Page, live_server, live_app
) -> None:
    # Typed offline: images sent, the time not known (cleared). Put back from the tablet later,
    # the restore's own "change" must not write the moment of the restore as the send time.
    seeded = seed_case(live_app, sign="")
    case_id = akut_case(live_app, seeded["incident_id"])
    login(page, live_server.url, "seed-rsk")
    key = "p" * 22
    now = int(time.time() * 1000)
    page.evaluate(
        f"""localStorage.setItem("reservrutin:draft:{key}", JSON.stringify({{seq: 2,
             data: {{pacs_status: "yes", pacs_sent_at: "", radiographers: "Seed Rsk"}},
             label: "", kind: "exam", synced: false, at: {now},
             path: "/cases/{case_id}/exam"}}))"""
    )
    page.goto(f"{live_server.url}/cases/{case_id}/exam?draft={key}")
    expect(page.get_by_label("Ja, skickade")).to_be_checked()
    expect(page.locator("#pacs_sent_at")).to_have_value("")
