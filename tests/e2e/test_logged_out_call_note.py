"""The call to the referrer about an urgent finding, logged after the login ended elsewhere:
the way back in leads to the call form with what was typed in its boxes, not lost."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import login
from .logout_support import log_in_again, log_out_in_another_tab
from .seed import seed_case


def test_a_call_note_sent_after_logout_comes_back_in_its_box_after_login(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="preliminary")
    base = live_server.url
    call_url = f"{base}/reporting/{seeded['case_id']}/call"
    login(page, base, "seed-rad")
    page.goto(call_url)
    note = page.get_by_role("textbox", name="Vad sades")
    note.fill("Pneumothorax höger")
    status = page.locator(".draft-status")
    expect(status).to_contain_text("Utkast sparat på datorn")

    log_out_in_another_tab(page, base)

    note.fill("Pneumothorax höger – dränage läggs på akuten")
    expect(status).to_contain_text("Du är utloggad")
    page.get_by_role("button", name="Logga samtalet").tap()
    log_in_again(page, "seed-rad")
    page.wait_for_url(f"{call_url}?**")

    expect(page.get_by_role("textbox", name="Vad sades")).to_have_value(
        "Pneumothorax höger – dränage läggs på akuten"
    )
    expect(status).to_contain_text("Utkast sparat på datorn")


@pytest.mark.parametrize(
    ("panel", "box", "button"),
    [
        ("#protocol-panel", "Instruktion till röntgensjuksköterskan", "Spara instruktion"),
        ("#priority-change", "Varför", "Ändra prioritet"),
    ],
)
def test_a_report_screen_text_sent_after_logout_comes_back_in_its_box_after_login(
    page: Page, live_server, live_app, panel: str, box: str, button: str
) -> None:
    seeded = seed_case(live_app, sign="")
    base = live_server.url
    screen_url = f"{base}/reporting/{seeded['case_id']}"
    login(page, base, "seed-rad")
    page.goto(screen_url)
    form = page.locator(panel)
    text = form.get_by_role("textbox", name=box)
    text.fill("Ring mig när patienten är på plats")
    status = form.locator(".draft-status")
    expect(status).to_contain_text("Utkast sparat på datorn")

    log_out_in_another_tab(page, base)

    text.fill("Ring mig när patienten är på plats – DT buk med kontrast")
    expect(status).to_contain_text("Du är utloggad")
    if panel == "#priority-change":
        form.get_by_text("Rutin").first.tap()
    form.get_by_role("button", name=button).tap()
    log_in_again(page, "seed-rad")
    page.wait_for_url(f"{screen_url}?**")

    expect(page.locator(panel).get_by_role("textbox", name=box)).to_have_value(
        "Ring mig när patienten är på plats – DT buk med kontrast"
    )
    expect(page.locator(panel).locator(".draft-status")).to_contain_text("Utkast sparat på datorn")
