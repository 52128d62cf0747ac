"""The tablet's own list of copies the laptop never got masks the number as the laptop's lists.

The tablet builds a draft's label with the number typed in full (draft-copies.js, labelFor); the
laptop masks it in every list (draft_typed.masked_label), and so must the tablet's list.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, Route, expect

from .conftest import login
from .seed import seed_case


def test_a_copy_only_on_the_tablet_is_listed_with_its_number_masked(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    base = live_server.url
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/new")

    def refuse(route: Route) -> None:
        route.abort()

    # No contact: the copy stays on the tablet only.
    page.context.route("**/api/drafts/**", refuse)
    # Ten digits typed: listed with the century the site's date gives it, as /drafts lists it.
    page.get_by_role("textbox", name="Personnummer").fill("121212-1212")
    page.get_by_role("textbox", name="Namn", exact=True).fill("Sten Stensson")
    expect(page.locator(".draft-status")).to_contain_text("Ingen kontakt")
    page.goto(f"{base}/drafts")
    local = page.locator("#local-drafts")
    expect(local).to_be_visible()
    # Two identifiers: the name and the number, its last four hidden.
    expect(local.get_by_role("link")).to_have_text("Sten Stensson · 20121212-****")
    expect(local).not_to_contain_text("1212-1212")


# Labels as a tablet builds them, with what was typed: each listed as the laptop lists it.
CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("referral", "Åsa Öberg · 19800101-0027", {"personal_number": "19800101-0027"}),
    ("referral", "Åsa Öberg · 8001010027", {"personal_number": "8001010027"}),
    ("referral", "Gammal · 121212+1212", {"personal_number": "121212+1212"}),
    ("referral", "Fel kontroll · 800101-0028", {"personal_number": "800101-0028"}),
    ("referral", "Mellanrum · 19800101 0027", {"personal_number": "19800101 0027"}),
    ("referral", "Samordning · 701063-2391", {"personal_number": "701063-2391"}),
    ("referral", "Framtid · 20991231-0000", {"personal_number": "20991231-0000"}),
    ("referral", "CZ6-EPF · Reserv · RES-1234", {"id_mode": "reserve", "reserve_number": "R1"}),
    ("transfer", "Flytt · 121212-1212 · DT", {"patient_ref": "121212-1212"}),
    ("identity", "Ny · 19121212-1212", {"personal_number": "19121212-1212"}),
    ("exam", "Dokumentation", {}),
]


@pytest.fixture
def drafts_page(page: Page, live_server, live_app) -> Page:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/drafts")
    return page


def test_the_tablets_masking_is_the_laptops_masking(drafts_page: Page, live_app: Flask) -> None:
    from webapp.draft_typed import masked_label

    with live_app.app_context():
        laptop = [masked_label(kind, label, data) for kind, label, data in CASES]
    tablet = drafts_page.evaluate(
        "cases => cases.map(c => window.Reservrutin.drafts.maskedLabel(c[0], c[1], c[2]))",
        [list(c) for c in CASES],
    )
    assert tablet == laptop
