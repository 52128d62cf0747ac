"""Radiographer on a tablet: a pacemaker answered Ja before an MR stands out on the case page,
the exam form and the board, as the ticked box did on paper."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import check_accessibility, login
from .test_radiographer_journey import _declare

PACEMAKER = "Pacemaker/ICD – MR bara efter radiologens ställningstagande."


def test_a_pacemaker_before_an_mr_is_warned_of_on_every_screen(
    page: Page, live_server, make_staff
) -> None:
    base = live_server.url
    make_staff(username="kim", display_name="Kim Ström")
    login(page, base, "kim")
    _declare(page, base)
    page.goto(base + "/cases/new")
    page.get_by_role("textbox", name="Personnummer").fill("19121212-1212")
    page.get_by_role("textbox", name="Namn", exact=True).fill("Örjan Älvström")
    page.get_by_role("textbox", name="Remitterande enhet").fill("Akutmottagningen")
    page.get_by_role("textbox", name="Svarsfax").fill("0999-123 46")
    page.get_by_role("combobox", name="Undersökning").fill("MR hj")
    page.get_by_role("option", name=re.compile("MR hjärna")).tap()
    page.get_by_role("textbox", name="Frågeställning").fill("MS?")
    page.locator("input[name='pacemaker'][value='yes']").check()
    page.locator("input[name='implants'][value='no']").check()
    page.get_by_role("button", name="Spara remissen").tap()
    expect(page.locator(".flash").first).to_contain_text("Remissen är sparad.")

    risks = page.get_by_role("region", name="OBS – risk enligt remissen")
    expect(risks).to_contain_text(PACEMAKER)
    check_accessibility(page)

    page.get_by_role("link", name="Dokumentera undersökning").tap()
    expect(page.get_by_role("region", name="OBS – risk enligt remissen")).to_contain_text(PACEMAKER)

    page.goto(base + "/board/")
    expect(page.locator(".board-row .status.safety-risk")).to_have_text("OBS risk")
    check_accessibility(page)
