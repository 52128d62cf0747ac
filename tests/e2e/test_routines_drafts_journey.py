"""The routines' typed forms in the browser: what is typed survives a reload, and is sent once."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import login
from .seed import seed_case
from .test_drafts_journey import _wait_stored
from .test_edit_drafts_journey import _is_done

FINDINGS = "Subduralt hematom vänster, 6 mm."


def _entries(app: Flask, kind: str) -> int:
    from webapp.extensions import db
    from webapp.models import ReviewerLogEntry

    with app.app_context():
        return db.session.query(ReviewerLogEntry).filter_by(kind=kind).count()


def test_a_faxed_reviewer_report_typed_survives_a_reload_and_is_received_once(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rad")
    page.goto(f"{base}/routines/reviewer/receive")
    page.get_by_role("textbox", name="Ärendekod på faxet").fill(seeded["code"])
    page.get_by_role("textbox", name="Utlåtandet skrivet av").fill("Dr Granskare")
    page.get_by_role("textbox", name="Fynd").fill(FINDINGS)
    expect(page.locator(".draft-status")).to_contain_text("Utkast sparat på datorn")
    key = page.locator("input[name='form_key']").input_value()
    _wait_stored(live_app, key, "findings", FINDINGS)

    page.reload()
    expect(page.get_by_role("textbox", name="Fynd")).to_have_value(FINDINGS)
    expect(page.get_by_role("textbox", name="Ärendekod på faxet")).to_have_value(seeded["code"])
    page.get_by_role("textbox", name="Bedömning").fill("Akut blödning.")
    page.get_by_text("Preliminärt", exact=True).tap()
    page.get_by_role("button", name="Registrera mottaget svar").tap()
    # Never faxed to the reviewer: the confirmation asks for the tick.
    page.get_by_label("Svaret hör till ärendet fast inget fax till granskaren är loggat").check()
    page.get_by_role("button", name="Rätt patient – registrera svaret").tap()
    expect(page.locator(".flash").first).to_contain_text("Utlåtandet är mottaget")
    assert _is_done(live_app, key)
    assert _entries(live_app, "report_received") == 1


def test_a_verbal_answer_typed_on_the_case_page_survives_a_reload(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/routines/reviewer/cases/{seeded['case_id']}")
    said = "Blödning vänster, neurokirurg kontaktas."
    page.get_by_role("textbox", name="Vad sades").fill(said)
    status = page.locator("#verbal .draft-status")
    expect(status).to_contain_text("Utkast sparat på datorn")
    key = page.locator("input[name='verbal-form_key']").input_value()
    _wait_stored(live_app, key, "verbal-note", said)

    page.reload()
    expect(page.get_by_role("textbox", name="Vad sades")).to_have_value(said)
    page.get_by_role("textbox", name="Granskare som ringde").fill("Dr Granskare")
    page.get_by_role("textbox", name="Remittent som fick svaret").fill("Dr Åberg")
    page.get_by_role("button", name="Logga muntligt svar").tap()
    expect(page.locator(".flash").first).to_contain_text("Det muntliga svaret är loggat.")
    assert _is_done(live_app, key)
    assert _entries(live_app, "verbal_answer") == 1
