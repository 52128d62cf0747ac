"""Secretary: scan as a USB scanner types, key the case into RIS, four eyes, close."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import assert_no_horizontal_scroll, check_accessibility, login
from .seed import seed_case

STEPS = ("booked", "exam_completed", "images_matched", "report_keyed", "correction_list")


def _binder_blank(app: Flask, username: str) -> str:
    """A documentation blank the admin reserved for the downtime binder; its code."""
    from webapp.blanks.services import reserve_codes
    from webapp.extensions import db
    from webapp.models import User

    with app.app_context():
        admin = db.session.query(User).filter_by(username=username).one()
        return reserve_codes(user=admin, count=1, doc_kind="BLD", batch_label="Pärmen")[0]


def _open_transfer(app: Flask, case_id: int, username: str) -> int:
    """An image transfer of the case to a hospital in another region, still open; its id."""
    from webapp.extensions import db
    from webapp.models import Case, ImageTransfer, User

    with app.app_context():
        case = db.session.get(Case, case_id)
        user = db.session.query(User).filter_by(username=username).one()
        transfer = ImageTransfer(
            site_id=case.site_id,
            incident_id=case.incident_id,
            case_id=case.id,
            direction="send",
            counterpart_key="grannby_us",
            counterpart_name="Grannby universitetssjukhus",
            exam_text="DT hjärna",
            urgency="akut",
            created_by_id=user.id,
        )
        db.session.add(transfer)
        db.session.commit()
        return transfer.id


def test_scan_tick_every_step_verify_and_close(
    page: Page, live_server, live_app, make_staff
) -> None:
    base = live_server.url
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    make_staff(username="sek2", role="secretary", display_name="Sten Sekreterare")
    make_staff(username="boss", role="admin", display_name="Åsa Admin")
    blank = _binder_blank(live_app, "boss")
    transfer = _open_transfer(live_app, seeded["case_id"], "boss")

    login(page, base, "sek1")
    page.get_by_role("link", name="Skanna").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skanningsstation")
    check_accessibility(page)
    field = page.get_by_label("Kod")
    expect(field).to_be_focused()
    # A keyboard-wedge scanner types the payload and Enter into the focused field.
    page.keyboard.type(f"RR1:{seeded['code'].replace('-', '')}:UTL:1")
    page.keyboard.press("Enter")
    expect(page.locator(".patient-header")).to_contain_text("19121212-1212")
    check_accessibility(page)
    assert_no_horizontal_scroll(page)

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
    expect(page.locator(".patient-header .status")).to_have_text("Inlagd i RIS")

    page.get_by_role("button", name="Byt användare").tap()
    expect(page.locator(".flash")).to_contain_text("Välj vem du är.")
    login(page, base, "sek2")
    page.goto(f"{base}/scan")
    page.keyboard.type(seeded["code"].lower())
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Jag har kontrollerat RIS mot papperet").tap()
    expect(page.locator(".patient-header .status")).to_have_text("Avslutad")

    page.get_by_role("button", name="Byt användare").tap()
    expect(page.locator(".flash")).to_contain_text("Välj vem du är.")
    login(page, base, "boss")
    # A sheet printed to restock the binder during the outage, back in it unused.
    assert page.request.get(f"{base}/blanks/{blank}/batch.pdf").ok
    page.goto(f"{base}/catchup/incidents/{seeded['incident_id']}")
    expect(page.locator(".big-figure")).to_contain_text("1 av 1")
    # The signed report was never logged as faxed: listed, and confirmed at the close.
    expect(page.locator("#unfaxed")).to_contain_text(seeded["code"])
    check_accessibility(page)
    page.locator(".close-confirm summary").tap()  # closing asks for a second tap
    page.get_by_role("checkbox", name=re.compile("når remittenten via RIS")).check()
    # Nobody ticked IT or the TiB on the incident's page: the close asks, beside its box.
    expect(page.locator(".close-confirm")).to_contain_text("Underrättelser som inte är avbockade")
    page.get_by_role("checkbox", name=re.compile("gjordes utan att bockas av")).check()
    # The blank is named beside its tick, which is as tall as a finger like the others.
    expect(page.locator("#loose-blanks-at-close")).to_contain_text(blank)
    tick = page.get_by_role("checkbox", name=re.compile("ingen av dem är ifylld"))
    box = page.locator("label.check", has=tick).bounding_box()
    assert box is not None and box["height"] >= 44
    tick.check()
    # The transfer still open is named and linked beside its own tick, which the close needs.
    listed = page.locator("#open-transfers-at-close a")
    expect(listed).to_contain_text(f"#{transfer}")
    expect(listed).to_contain_text(seeded["code"])
    link = listed.bounding_box()
    assert link is not None and link["height"] >= 44
    page.get_by_role("checkbox", name=re.compile("följs upp på sina sidor")).check()
    page.get_by_role("button", name="Ja, avsluta driftstoppet").tap()
    expect(page.locator(".flash").first).to_contain_text("Driftstoppet är avslutat")
