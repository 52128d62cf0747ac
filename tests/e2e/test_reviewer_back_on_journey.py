"""On the tablet: a case cancelled while its referral is with the external reviewer, the
reviewer told, then the cancellation undone. The restore form says the reviewer must hear it is
back on, and the restored case asks for it until it is logged."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import login
from .seed import seed_case


def _faxed_to_the_reviewer(app: Flask, case_id: int) -> None:
    from webapp.extensions import db
    from webapp.models import User, utcnow
    from webapp.routines.reviewer_services import log_fax_sent

    with app.app_context():
        user = db.session.query(User).filter_by(username="seed-rsk").one()
        log_fax_sent(case_id=case_id, user=user, number="0999-600 01", sent_at=utcnow())


def test_the_reviewer_told_of_an_undone_cancellation_is_asked_for_and_logged(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    _faxed_to_the_reviewer(live_app, seeded["case_id"])
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/{seeded['case_id']}")
    cancel = page.locator("#cancel")
    cancel.get_by_text("Makulera ärendet").tap()
    cancel.get_by_role("textbox", name="Orsak").fill("Dubblett")
    cancel.get_by_label("Jag vet att det ska städas upp i RIS/PACS").check()
    cancel.get_by_role("button", name="Makulera").tap()
    told = page.locator("#reviewer-told")
    told.get_by_role("textbox", name="Hur granskaren meddelades").fill("Faxat till koordinatorn")
    told.get_by_role("button", name="Logga att granskaren är meddelad").tap()
    expect(page.locator(".flash").first).to_contain_text("Det är loggat att granskaren meddelats")

    box = page.locator("#restore")
    box.locator("summary").tap()
    expect(box.locator("#restore-reviewer")).to_contain_text("görs ändå")
    box.get_by_role("textbox", name="Orsak").fill("Fel ärende makulerat")
    box.get_by_role("button", name="Ångra makuleringen").tap()
    expect(page.locator(".flash").first).to_contain_text("Makuleringen är ångrad.")

    expect(told).to_contain_text("vet inte att undersökningen görs ändå")
    told.get_by_role("textbox", name="Hur granskaren meddelades").fill("Ringt koordinatorn")
    button = told.get_by_role("button", name="Logga att granskaren vet att undersökningen görs")
    box_size = button.bounding_box()
    assert box_size is not None and box_size["height"] >= 44
    button.tap()
    expect(told).to_contain_text("Extern granskare meddelad att undersökningen görs ändå")
    expect(told).to_contain_text("Ringt koordinatorn")
    expect(told.locator("form")).to_have_count(0)
