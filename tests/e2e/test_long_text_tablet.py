"""Long words typed or pasted into a case (a name, an exam without spaces) on a portrait tablet."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import assert_no_horizontal_scroll, login
from .seed import seed_case

# One word as long as the fields allow, as a paste without spaces gives: nowhere to break it.
LONG_NAME = "Åsa-" + "Långnamnsson" * 12
LONG_EXAM = "DT" + "thoraxbuk" * 30


def _seed_long_case(app: Flask) -> dict[str, Any]:
    from webapp.extensions import db
    from webapp.models import Referral

    seeded = seed_case(app, sign="", patient_name=LONG_NAME)
    with app.app_context():
        referral = db.session.query(Referral).filter_by(case_id=seeded["case_id"]).one()
        referral.exam_text = LONG_EXAM
        db.session.commit()
    return seeded


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("seed-rsk", "/cases/{case_id}"),
        ("seed-rsk", "/board/"),
        ("seed-rad", "/reporting/"),
        ("seed-rad", "/reporting/{case_id}"),
        ("seed-sek", "/catchup/incidents/{incident_id}"),
        ("seed-sek", "/catchup/cases/{case_id}"),
    ],
)
def test_one_long_word_never_widens_the_page(
    page: Page, live_server, live_app, make_staff, username: str, path: str
) -> None:
    seeded = _seed_long_case(live_app)
    make_staff(username="seed-sek", role="secretary", display_name="Siv Sekreterare")
    login(page, live_server.url, username)
    page.goto(live_server.url + path.format(**seeded))
    expect(page.locator("main")).to_contain_text(seeded["code"])
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize(
    ("username", "path", "button"),
    [
        ("seed-rsk", "/drafts", "Fortsätt"),
        ("seed-sek", "/catchup/incidents/{incident_id}", "Öppna"),
    ],
)
def test_draft_with_a_long_word_keeps_its_buttons_on_screen(
    page: Page, live_server, live_app, make_staff, username: str, path: str, button: str
) -> None:
    from webapp.drafts.services import save_draft
    from webapp.extensions import db
    from webapp.models import User

    seeded = seed_case(live_app, sign="")
    with live_app.app_context():
        staff = db.session.query(User).filter_by(username="seed-rsk").one()
        save_draft(
            form_key="longdraft-" + "x" * 14,
            kind="referral",
            user=staff,
            incident_id=seeded["incident_id"],
            case_id=None,
            data={"patient_name": LONG_NAME},
            label=LONG_NAME,
            seq=1,
        )
    make_staff(username="seed-sek", role="secretary", display_name="Siv Sekreterare")
    login(page, live_server.url, username)
    page.goto(live_server.url + path.format(**seeded))
    expect(page.locator("main")).to_contain_text("Långnamnsson")
    assert_no_horizontal_scroll(page)
    box = page.get_by_role("link", name=button, exact=True).bounding_box()
    assert box and box["x"] + box["width"] <= page.viewport_size["width"], box


# On how many lines the row draws the identity number (wherever in the row's markup it sits).
NUMBER_LINES = """(cell, number) => {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(number);
    if (at < 0) continue;
    const r = document.createRange(); r.setStart(node, at); r.setEnd(node, at + number.length);
    return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size;
  }
  return 0; }"""


@pytest.mark.parametrize(
    ("username", "path"), [("seed-rsk", "/board/"), ("seed-rad", "/reporting/")]
)
def test_board_rows_never_split_the_identity_number_at_its_hyphen(
    page: Page, live_server, live_app, username: str, path: str
) -> None:
    seed_case(live_app, sign="", patient_name="Ann-Britt Maria Sofia Lindqvist")
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, live_server.url, username)
    page.goto(live_server.url + path)
    cell = page.locator(".b-patient")
    expect(cell).to_contain_text("19121212-****")
    assert cell.evaluate(NUMBER_LINES, "19121212-****") == 1
