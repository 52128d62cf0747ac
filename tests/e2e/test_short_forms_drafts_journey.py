"""The short forms of a case in the browser: what is typed survives a reload, and its draft is
gone once the form is sent."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import login
from .seed import seed_case
from .test_drafts_journey import _wait_stored
from .test_edit_drafts_journey import _is_done

REASON = "Dubblett av faxad remiss – aldrig undersökt här"


def _case_status(app: Flask, case_id: int) -> str:
    from webapp.extensions import db
    from webapp.models import Case

    with app.app_context():
        return str(db.session.get(Case, case_id).status)


def test_a_cancellation_reason_typed_survives_a_reload_and_its_draft_goes_when_sent(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/{seeded['case_id']}")
    box = page.locator("#cancel")
    box.get_by_text("Makulera ärendet").tap()
    box.get_by_role("textbox", name="Orsak").fill(REASON)
    expect(box.locator(".draft-status")).to_contain_text("Utkast sparat på datorn")
    key = box.locator("input[name='form_key']").input_value()
    _wait_stored(live_app, key, "reason", REASON)

    page.reload()
    # The box is open again on the reason typed, under the same form.
    expect(box.get_by_role("textbox", name="Orsak")).to_have_value(REASON)
    assert box.locator("input[name='form_key']").input_value() == key
    # The exam's images are in PACS: the cancel asks that they be cleaned up there.
    box.get_by_label("Jag vet att det ska städas upp i RIS/PACS").check()
    box.get_by_role("button", name="Makulera").tap()
    expect(page.locator(".flash").first).to_contain_text("Ärendet är makulerat.")
    assert _case_status(live_app, seeded["case_id"]) == "cancelled"
    assert _is_done(live_app, key)
    # Nor is it kept on the tablet, nor offered anywhere.
    assert page.evaluate(f"window.localStorage.getItem('reservrutin:draft:{key}')") is None
    page.goto(f"{base}/drafts")
    expect(page.get_by_text(seeded["code"])).to_have_count(0)


RESTORE_REASON = "Fel ärende makulerat – patienten väntar i väntrummet"


def test_a_restore_reason_typed_survives_a_reload_and_its_draft_goes_when_sent(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/{seeded['case_id']}")
    cancel = page.locator("#cancel")
    cancel.get_by_text("Makulera ärendet").tap()
    cancel.get_by_role("textbox", name="Orsak").fill(REASON)
    cancel.get_by_label("Jag vet att det ska städas upp i RIS/PACS").check()
    cancel.get_by_role("button", name="Makulera").tap()
    expect(page.locator(".flash").first).to_contain_text("Ärendet är makulerat.")

    box = page.locator("#restore")
    box.locator("summary").tap()
    box.get_by_role("textbox", name="Orsak").fill(RESTORE_REASON)
    expect(box.locator(".draft-status")).to_contain_text("Utkast sparat på datorn")
    key = box.locator("input[name='form_key']").input_value()
    _wait_stored(live_app, key, "reason", RESTORE_REASON)

    page.reload()
    expect(box.get_by_role("textbox", name="Orsak")).to_have_value(RESTORE_REASON)
    assert box.locator("input[name='form_key']").input_value() == key
    box.get_by_role("button", name="Ångra makuleringen").tap()
    expect(page.locator(".flash").first).to_contain_text("Makuleringen är ångrad.")
    assert _case_status(live_app, seeded["case_id"]) != "cancelled"
    assert _is_done(live_app, key)
    assert page.evaluate(f"window.localStorage.getItem('reservrutin:draft:{key}')") is None
