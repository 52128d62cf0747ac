"""Wi-Fi up but the laptop silent: a form sent then stays, as it does without a connection."""

from __future__ import annotations

import re
import time

from flask import Flask, request
from playwright.sync_api import Page, expect

from ..factories import DEFAULT_PIN
from .conftest import login
from .referral_support import case_count, fill_referral
from .seed import seed_case

NOTICE = "Inte sparat: ingen kontakt med datorn"


def _report_state(app: Flask, case_id: int) -> str | None:
    from webapp.extensions import db
    from webapp.models import Report

    with app.app_context():
        report = db.session.query(Report).filter_by(case_id=case_id).one_or_none()
        return report.state if report else None


def test_referral_sent_to_a_silent_laptop_stays_and_is_saved_at_the_next_tap(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    fill_referral(page, "Tyst Tysk")
    page.route("**/healthz", lambda route: route.abort("connectionrefused"))
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.get_by_role("button", name="Spara remissen").tap()

    expect(page.locator("[role=alert].submit-refused")).to_contain_text(NOTICE)
    expect(page).to_have_url(re.compile(r"/cases/new"))
    expect(page.get_by_role("textbox", name="Namn", exact=True)).to_have_value("Tyst Tysk")
    expect(page.get_by_role("textbox", name="Frågeställning")).to_have_value("Blödning?")
    assert posts == []
    assert case_count(live_app) == 1  # the seeded case only

    page.unroute("**/healthz")
    page.get_by_role("button", name="Spara remissen").tap()
    expect(page.locator(".flash").first).to_have_text("Remissen är sparad.")
    expect(page.locator(".patient-header")).to_contain_text("Tyst Tysk")
    expect(page.locator(".submit-refused")).to_have_count(0)
    assert case_count(live_app) == 2


def test_a_laptop_too_slow_to_answer_is_treated_as_silent(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    page.get_by_role("textbox", name="Bedömning").fill("Normalt.")
    # The laptop waking from sleep: the connection opens but no answer comes in time.
    slow = [True]
    live_app.before_request_funcs.setdefault(None, []).insert(
        0, lambda: time.sleep(5) if slow[0] and request.path == "/healthz" else None
    )
    started = time.monotonic()
    page.get_by_role("button", name="Spara utkast").tap()

    refused = page.locator(".actions-bar [role=alert].submit-refused")
    expect(refused).to_contain_text(NOTICE, timeout=6000)
    assert time.monotonic() - started < 4.5
    expect(page.get_by_role("textbox", name="Bedömning")).to_have_value("Normalt.")
    assert _report_state(live_app, seeded["case_id"]) is None

    slow[0] = False
    page.get_by_role("button", name="Spara utkast").tap()
    expect(page.locator(".flash").first).to_have_text("Utkastet är sparat.")
    assert _report_state(live_app, seeded["case_id"]) == "draft"


def test_the_pressed_button_reaches_the_laptop_after_the_check(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    page.get_by_role("textbox", name="Bedömning").fill("Normalt.")
    with page.expect_request("**/healthz") as check:
        page.get_by_role("button", name="Signera preliminärt").tap()
    expect(page.locator(".flash").first).to_have_text("Utlåtandet är preliminärt signerat.")
    assert _report_state(live_app, seeded["case_id"]) == "preliminary"
    # Sent without the session cookie: the check neither keeps the session alive nor ends it.
    assert "cookie" not in check.value.all_headers()

    page.get_by_role("textbox", name="Bedömning").fill("Normalt. Ingen blödning.")
    page.get_by_role("radio", name="PACS").check()
    page.locator("summary", has_text="Signera definitivt").tap()
    page.get_by_role("button", name="Ja, signera definitivt").tap()
    expect(page.locator(".flash").first).to_contain_text("definitivt signerat")
    assert _report_state(live_app, seeded["case_id"]) == "definitive"


def test_login_to_a_silent_laptop_stays_on_the_login_page(
    page: Page, live_server, make_staff
) -> None:
    make_staff(username="anna", display_name="Anna Ek")
    base = live_server.url
    page.goto(f"{base}/login")
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("PIN-kod eller lösenord").fill(DEFAULT_PIN)
    page.route("**/healthz", lambda route: route.abort("timedout"))
    page.get_by_role("button", name="Logga in").tap()

    expect(page.locator("[role=alert].submit-refused")).to_contain_text(NOTICE)
    expect(page.get_by_label("Användarnamn")).to_have_value("anna")

    page.unroute("**/healthz")
    page.get_by_role("button", name="Logga in").tap()
    page.wait_for_url(f"{base}/")


def test_without_request_submit_the_pressed_button_still_reaches_the_laptop(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    page.add_init_script("delete HTMLFormElement.prototype.requestSubmit")  # iPadOS 15 Safari
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    page.get_by_role("textbox", name="Bedömning").fill("Normalt.")
    with page.expect_request("**/healthz"):
        page.get_by_role("button", name="Signera preliminärt").tap()
    expect(page.locator(".flash").first).to_have_text("Utlåtandet är preliminärt signerat.")
    assert _report_state(live_app, seeded["case_id"]) == "preliminary"
