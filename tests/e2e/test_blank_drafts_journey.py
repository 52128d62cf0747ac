"""A filled-in blank sheet typed on a tablet: autosaved like a referral, under its own code."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import PORTRAIT, login
from .seed import seed_case


def _reserve_blank(app: Flask) -> str:
    from webapp.blanks.services import reserve_codes
    from webapp.extensions import db
    from webapp.models import User

    with app.app_context():
        staff = db.session.query(User).filter_by(username="seed-rsk").one()
        return reserve_codes(user=staff, count=1, doc_kind="BLR", batch_label="Pärm 1")[0]


def test_blank_sheet_typed_survives_a_reload_and_is_offered_on_another_tablet(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    code = _reserve_blank(live_app)
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/blanks/{code}/open")
    page.get_by_role("textbox", name="Namn", exact=True).fill("Blanka Bladh")
    page.get_by_role("textbox", name="Frågeställning").fill("Fraktur?")
    expect(page.locator(".draft-status")).to_contain_text("Utkast sparat på datorn")

    page.reload()
    expect(page.get_by_role("textbox", name="Namn", exact=True)).to_have_value("Blanka Bladh")
    expect(page.get_by_role("textbox", name="Frågeställning")).to_have_value("Fraktur?")

    other = page.context.browser.new_context(viewport=PORTRAIT, has_touch=True, locale="sv-SE")
    tablet = other.new_page()
    login(tablet, base, "seed-rsk")
    # The other tablet scans the same sheet: the typed draft is offered, not an empty form.
    tablet.goto(f"{base}/blanks/{code}/open")
    expect(tablet.get_by_role("textbox", name="Namn", exact=True)).to_have_value("")
    tablet.get_by_role("link", name="Fortsätt").tap()
    # The sheet's code stays the case's code: the paper's QR code must find this case.
    expect(tablet.get_by_role("heading", level=1)).to_contain_text(code)
    expect(tablet.get_by_role("textbox", name="Namn", exact=True)).to_have_value("Blanka Bladh")
    other.close()
