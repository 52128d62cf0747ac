"""Drafts in the browser: what is typed reaches the laptop and survives tablets and logouts."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, request
from playwright.sync_api import Page, expect

from ..factories import DEFAULT_PIN
from .conftest import PORTRAIT, login
from .referral_support import case_count, fill_referral
from .seed import expire_sessions, seed_case


def _stored(app: Flask, key: str) -> dict[str, Any]:
    """The draft's fields as the laptop holds them (empty when it holds none)."""
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        draft = db.session.query(Draft).filter_by(form_key=key).one_or_none()
        return dict(draft.data) if draft else {}


def _wait_stored(app: Flask, key: str, field: str, value: str, seconds: float = 8) -> None:
    deadline = time.monotonic() + seconds
    while _stored(app, key).get(field) != value:
        assert time.monotonic() < deadline, f"{field} never reached the laptop: {_stored(app, key)}"
        time.sleep(0.2)


def test_report_continued_on_another_tablet_by_another_radiologist_reaches_the_laptop(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app, sign="")
    make_staff(role="radiologist", username="rad2", display_name="Rut Radiolog")
    base = live_server.url
    login(page, base, "seed-rad")
    page.goto(f"{base}/reporting/{seeded['case_id']}")
    findings = page.get_by_role("textbox", name="Fynd")
    findings.tap()
    findings.type("Ingen blödning. Inga frakturer.")  # one save per keystroke: a long count
    key = page.locator("#report-form input[name='form_key']").input_value()
    _wait_stored(live_app, key, "sections-2-text", "Ingen blödning. Inga frakturer.")

    other = page.context.browser.new_context(viewport=PORTRAIT, has_touch=True, locale="sv-SE")
    tablet = other.new_page()
    login(tablet, base, "rad2")
    tablet.goto(f"{base}/drafts")
    tablet.get_by_role("link", name="Fortsätt").tap()
    expect(tablet.get_by_role("textbox", name="Fynd")).to_have_value(
        "Ingen blödning. Inga frakturer."
    )
    tablet.get_by_role("textbox", name="Bedömning").fill("Normalt.")
    _wait_stored(live_app, key, "sections-3-text", "Normalt.")
    expect(tablet.locator("#report-form .draft-status")).to_contain_text("Utkast sparat på datorn")
    tablet.get_by_role("button", name="Signera preliminärt").tap()
    expect(tablet.locator(".flash").first).to_contain_text("preliminärt signerat")
    other.close()

    # The first tablet, still open, keeps what it types as a draft of its own: nothing is lost,
    # and it is shown as superseded by the signed report (it does not hold the incident open).
    findings.type(" Tillägg.")
    expect(page.locator("#report-form .draft-status")).to_contain_text(
        "sparades från en annan platta"
    )
    expect(page.locator("#report-form .draft-status")).not_to_contain_text(
        "Utkast sparat på datorn"
    )
    new_key = page.locator("#report-form input[name='form_key']").input_value()
    assert new_key != key
    _wait_stored(live_app, new_key, "sections-2-text", "Ingen blödning. Inga frakturer. Tillägg.")
    page.goto(f"{base}/drafts")
    expect(page.locator("main")).to_contain_text("Ersatt av en senare sparad version")


def test_report_typed_after_the_session_ended_is_back_after_logging_in(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rad")
    page.goto(f"{base}/reporting/{seeded['case_id']}")
    page.get_by_role("textbox", name="Fynd").fill("Ingen blödning.")
    expect(page.locator("#report-form .draft-status")).to_contain_text("Utkast sparat på datorn")
    expire_sessions(live_app)

    page.get_by_role("textbox", name="Bedömning").fill("Lång bedömning skriven efter utloggningen.")
    expect(page.locator("#report-form .draft-status")).to_contain_text("utloggad", timeout=5000)
    page.get_by_role("button", name="Spara utkast").tap()
    page.wait_for_url("**/login**")
    page.get_by_label("Användarnamn").fill("seed-rad")
    page.get_by_label("PIN-kod eller lösenord").fill(DEFAULT_PIN)
    page.get_by_role("button", name="Logga in").tap()

    expect(page.get_by_role("textbox", name="Bedömning")).to_have_value(
        "Lång bedömning skriven efter utloggningen."
    )
    expect(page.get_by_role("textbox", name="Fynd")).to_have_value("Ingen blödning.")
    page.get_by_role("button", name="Spara utkast").tap()
    expect(page.locator(".flash").first).to_contain_text("Utkastet är sparat.")
    expect(page.get_by_role("textbox", name="Bedömning")).to_have_value(
        "Lång bedömning skriven efter utloggningen."
    )
    assert page.evaluate("Object.keys(localStorage).length") == 0


def test_referral_sent_without_a_connection_stays_and_is_saved_once_it_returns(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    fill_referral(page, "Nätlös Nilsson")
    page.context.set_offline(True)
    page.get_by_role("button", name="Spara remissen").tap()

    refused = page.locator("[role=alert].submit-refused")
    expect(refused).to_contain_text("Inte sparat: ingen kontakt med datorn")
    page.get_by_role("textbox", name="Namn", exact=True).scroll_into_view_if_needed()
    box = refused.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PORTRAIT["height"], box
    expect(page.get_by_role("textbox", name="Namn", exact=True)).to_have_value("Nätlös Nilsson")
    expect(page.get_by_role("textbox", name="Frågeställning")).to_have_value("Blödning?")

    page.context.set_offline(False)
    expect(refused).to_contain_text("Kontakten är tillbaka")
    page.get_by_role("button", name="Spara remissen").tap()
    expect(page.locator(".flash").first).to_have_text("Remissen är sparad.")
    expect(page.locator(".patient-header")).to_contain_text("Nätlös Nilsson")
    assert case_count(live_app) == 2  # the seeded case and this one


def test_double_tap_on_save_sends_the_referral_once(page: Page, live_server, live_app) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    fill_referral(page, "Dubbel Dahl")
    # A laptop busy for a moment: the second tap lands while the first is on its way.
    live_app.before_request_funcs.setdefault(None, []).insert(
        0, lambda: time.sleep(0.5) if request.method == "POST" else None
    )
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    box = page.get_by_role("button", name="Spara remissen").bounding_box()
    assert box
    page.touchscreen.tap(box["x"] + 10, box["y"] + 10)
    time.sleep(0.15)
    page.touchscreen.tap(box["x"] + 10, box["y"] + 10)

    expect(page.locator(".flash").first).to_have_text("Remissen är sparad.")
    assert len(posts) == 1
    assert case_count(live_app) == 2


def test_referral_typed_offline_in_a_closed_tab_reaches_the_laptop_from_the_next_page(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/new")
    page.context.set_offline(True)
    page.get_by_role("textbox", name="Namn", exact=True).fill("Kvarglömd Karlsson")
    expect(page.locator(".draft-status")).to_contain_text("Ingen kontakt")
    context = page.context
    page.close()  # the tab closed, or the tablet went to another page, before the Wi-Fi returned

    context.set_offline(False)
    board = context.new_page()
    with board.expect_response(lambda r: "/api/drafts/" in r.url):
        board.goto(f"{base}/board")
    board.goto(f"{base}/drafts")
    expect(board.locator("main")).to_contain_text("Kvarglömd Karlsson")
    board.get_by_role("link", name="Fortsätt").tap()
    expect(board.get_by_role("textbox", name="Namn", exact=True)).to_have_value(
        "Kvarglömd Karlsson"
    )


def test_unsaved_state_is_in_view_while_typing_the_last_report_section(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    page.set_viewport_size({"width": 1180, "height": 820})
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    last = page.locator("#report-form textarea").last
    last.tap()
    page.context.set_offline(True)
    last.type("Normalt.")

    status = page.locator("#report-form .draft-status")
    expect(status).to_contain_text("Ingen kontakt")
    box = status.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 820, box
    page.context.set_offline(False)
    expect(status).to_contain_text("Utkast sparat på datorn")


def test_back_after_saving_a_referral_gives_an_empty_form_for_the_next_patient(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    fill_referral(page, "Första Fransson")
    page.get_by_role("button", name="Spara remissen").tap()
    expect(page.locator(".flash").first).to_have_text("Remissen är sparad.")

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny remiss")
    # The browser must not put the first patient's referral back into the next one's form.
    for name in ("Namn", "Remitterande enhet", "Svarsfax", "Frågeställning"):
        expect(page.get_by_role("textbox", name=name, exact=True)).to_have_value("")
    fill_referral(page, "Andra Andersson")
    page.get_by_role("button", name="Spara remissen").tap()
    expect(page.locator(".flash").first).to_have_text("Remissen är sparad.")
    expect(page.locator(".patient-header")).to_contain_text("Andra Andersson")
    assert case_count(live_app) == 3


def test_report_typed_without_a_pause_reaches_the_laptop_while_typing(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    saves: list[float] = []
    page.on("request", lambda r: saves.append(time.monotonic()) if r.method == "PUT" else None)
    findings = page.get_by_role("textbox", name="Fynd")
    findings.tap()
    findings.type("Ingen blödning, inga frakturer, normal ventrikelvidd.", delay=150)
    typing_ended = time.monotonic()
    assert saves and saves[0] < typing_ended - 1, "nothing sent until the typing stopped"


def test_tablet_keeps_no_patient_data_the_laptop_already_holds(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    old = int(time.time() * 1000) - 3600_000
    for key, synced in (("s" * 20, "true"), ("u" * 20, "false")):
        page.evaluate(
            f"""localStorage.setItem("reservrutin:draft:{key}", JSON.stringify({{seq: 3,
                 data: {{patient_name: "Gammal Gustavsson"}}, label: "Gammal Gustavsson",
                 kind: "referral", synced: {synced}, at: {old}, path: "/cases/new"}}))"""
        )
    with page.expect_response(lambda r: "/api/drafts/" + "u" * 20 in r.url):
        page.goto(f"{live_server.url}/board")
    kept = page.evaluate("Object.keys(localStorage).sort()")
    assert kept == ["reservrutin:draft:" + "u" * 20]  # the unsent one stays until it is sent


def test_report_refused_after_a_new_login_in_another_tab_says_so_and_returns_on_reload(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rad")
    page.goto(f"{base}/reporting/{seeded['case_id']}")
    page.get_by_role("textbox", name="Fynd").fill("Ingen blödning.")
    expect(page.locator("#report-form .draft-status")).to_contain_text("Utkast sparat på datorn")
    other_tab = page.context.new_page()
    login(other_tab, base, "seed-rad")  # a new login: the first tab holds an old security token
    other_tab.close()

    page.get_by_role("textbox", name="Bedömning").fill("Normalt.")
    expect(page.locator("#report-form .draft-status")).to_contain_text(
        "Datorn tog inte emot utkastet"
    )
    page.reload()
    expect(page.get_by_role("textbox", name="Bedömning")).to_have_value("Normalt.")
    expect(page.locator("#report-form .draft-status")).to_contain_text("Utkast sparat på datorn")


def test_a_copy_restored_from_the_tablet_shows_the_fields_of_what_it_restores(
    page: Page, live_server, live_app
) -> None:
    # An unidentified woman of about 30 for a CT head, typed while the laptop was out of reach.
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    key = "w" * 22
    now = int(time.time() * 1000)
    page.evaluate(
        f"""localStorage.setItem("reservrutin:draft:{key}", JSON.stringify({{seq: 3,
             data: {{id_mode: "reserve", personal_number: "", reserve_number: "RES-0099",
                     sex: "F", approx_age: "30", patient_name: "", exam_code: "CT-HJ",
                     exam_text: "DT hjärna utan kontrast", modality: "CT"}},
             label: "RES-0099", kind: "referral", synced: false, at: {now},
             path: "/cases/new"}}))"""
    )
    page.goto(f"{live_server.url}/cases/new?draft={key}")
    expect(page.get_by_role("radio", name="Okänd patient (reservnummer)")).to_be_checked()
    # The reserve number's fields, not an empty personnummer field a number would be typed
    # into and then dropped, since the form is sent as an unidentified patient's.
    expect(page.get_by_role("textbox", name="Reservnummer")).to_have_value("RES-0099")
    expect(page.get_by_role("textbox", name="Reservnummer")).to_be_visible()
    expect(page.get_by_label("Ungefärlig ålder")).to_have_value("30")
    expect(page.get_by_label("Ungefärlig ålder")).to_be_visible()
    expect(page.get_by_role("textbox", name="Personnummer")).to_be_hidden()
    expect(page.get_by_role("group", name="Graviditet")).to_be_visible()
    expect(page.get_by_role("listbox", name="Undersökningar")).to_be_hidden()
