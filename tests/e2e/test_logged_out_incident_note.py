"""A note written in an incident's log after the login ended elsewhere: the way back in leads
to the incident's page with what was typed in the note's box, not lost."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import login
from .logout_support import log_in_again, log_out_in_another_tab
from .seed import seed_case


def test_a_note_sent_after_logout_comes_back_in_its_box_after_login(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    incident_url = f"{live_server.url}/incidents/{seeded['incident_id']}"
    login(page, live_server.url, "seed-rsk")
    page.goto(incident_url)
    form = page.locator('form[data-draft-kind="incident_note"]')
    note = form.get_by_role("textbox", name="Anteckning i loggen")
    note.fill("IT säger att RIS är uppe 14:00")
    status = form.locator(".draft-status")
    expect(status).to_contain_text("Utkast sparat på datorn")

    log_out_in_another_tab(page, live_server.url)

    note.fill("IT säger att RIS är uppe 14:00 – Åsa på IT ringer tillbaka")
    expect(status).to_contain_text("Du är utloggad")
    form.get_by_role("button", name="Spara anteckning").tap()
    log_in_again(page, "seed-rsk")
    page.wait_for_url(f"{incident_url}?**")

    form = page.locator('form[data-draft-kind="incident_note"]')
    expect(form.get_by_role("textbox", name="Anteckning i loggen")).to_have_value(
        "IT säger att RIS är uppe 14:00 – Åsa på IT ringer tillbaka"
    )
    expect(form.locator(".draft-status")).to_contain_text("Utkast sparat på datorn")

    # Sent now, it is in the log once and its draft is done.
    form.get_by_role("button", name="Spara anteckning").tap()
    expect(page.locator("ul.log")).to_contain_text("Åsa på IT ringer tillbaka")
    expect(page.locator('form[data-draft-kind="incident_note"] textarea')).to_have_value("")
