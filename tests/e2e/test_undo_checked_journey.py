"""Secretary: undoing a step of a checked case takes a second tap, which names the checker."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import assert_no_horizontal_scroll, check_accessibility, login
from .seed import seed_case

STEPS = ("booked", "exam_completed", "images_matched", "report_keyed", "correction_list")


def test_a_stray_tap_on_a_step_of_a_checked_case_keeps_the_check(
    page: Page, live_server, live_app, make_staff
) -> None:
    base = live_server.url
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    make_staff(username="sek2", role="secretary", display_name="Sten Sekreterare")
    case_url = f"{base}/catchup/cases/{seeded['case_id']}"

    login(page, base, "sek1")
    page.goto(case_url)
    page.get_by_label("Accessionsnummer (RIS)").fill("EXS10000001")
    page.get_by_role("button", name="Spara RIS-nummer").tap()
    expect(page.locator(".flash")).to_contain_text("RIS-numren är sparade")
    # Booked with the accession saved; the other steps are ticked.
    expect(page.locator("button[data-step='booked']")).to_have_attribute("aria-pressed", "true")
    for step in STEPS[1:]:
        page.locator(f"button[data-step='{step}']").tap()
        expect(page.locator(f"button[data-step='{step}']")).to_have_attribute(
            "aria-pressed", "true"
        )
    page.get_by_role("button", name="Byt användare").tap()
    expect(page.locator(".flash")).to_contain_text("Välj vem du är.")
    login(page, base, "sek2")
    page.goto(case_url)
    page.get_by_role("button", name="Jag har kontrollerat RIS mot papperet").tap()
    expect(page.locator(".patient-header .status")).to_have_text("Avslutad")

    # The step's own button only says it is done; its undo beside it opens the warning.
    page.locator("button[data-step='booked']").tap()
    expect(page.locator("#step-booked-note")).to_contain_text("”Bokad i RIS” är redan klar")
    page.locator("#undo-booked").tap()
    # One tap only opens the warning: the case is still checked and closed.
    warning = page.locator(".undo-confirm[open] .discard-confirm-box")
    expect(warning).to_contain_text("Kontrollen av Sten Sekreterare tas bort")
    page.reload()
    expect(page.locator(".patient-header .status")).to_have_text("Avslutad")
    check_accessibility(page)
    assert_no_horizontal_scroll(page)

    page.locator("#undo-booked").tap()
    page.get_by_role("button", name="Ja, ångra steget").tap()
    expect(page.locator("button[data-step='booked']")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".patient-header .status")).not_to_have_text("Avslutad")
    # The check is gone with the step: it is made again once the step is keyed again.
    expect(page.locator("#steps")).to_contain_text("Kontrollen görs när alla steg ovan är klara.")
