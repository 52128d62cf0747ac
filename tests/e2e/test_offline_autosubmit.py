"""Controls that send their form as they change (the template picker, the board's filters):
without the laptop the page stays, says so, and shows what is still in use."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from .conftest import check_accessibility, login
from .seed import seed_case

TEMPLATE_KEPT = "Ingen kontakt med datorn – mallen byttes inte"
FILTER_KEPT = "Ingen kontakt med datorn – filtret ändrades inte"


def _laptop_silent(page: Page) -> None:
    """Wi-Fi up, the laptop answering nothing: every request fails on the way."""

    def refuse(route: Route) -> None:
        route.abort("connectionrefused")

    page.route("**/*", refuse)


def _offline(page: Page) -> None:
    page.context.set_offline(True)


def _path(page: Page) -> str:
    """The app's page shown; the browser's error page has none of its paths."""
    parts = urlsplit(page.url)
    return parts.path if parts.scheme == "http" else page.url


@pytest.mark.parametrize("cut_off", [_offline, _laptop_silent], ids=["offline", "silent"])
def test_a_template_changed_without_the_laptop_stays_on_the_screen(
    page: Page, live_server, live_app, cut_off
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    screen = _path(page)
    picker = page.locator("#template")
    in_use = picker.input_value()
    page.get_by_role("textbox", name="Fynd").fill("Liten subduralblödning höger.")
    status = page.locator("#report-form .draft-status")
    expect(status).to_contain_text("Utkast sparat på datorn")  # nothing new is unsent

    cut_off(page)
    picker.select_option(label="DT thorax-buk")

    expect(status).to_contain_text(TEMPLATE_KEPT)
    assert _path(page) == screen
    # The screen does not claim a template that was not applied.
    expect(picker).to_have_value(in_use)
    expect(page.get_by_role("textbox", name="Fynd")).to_have_value("Liten subduralblödning höger.")


def test_a_template_changed_offline_before_anything_is_typed_stays(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    screen = _path(page)
    picker = page.locator("#template")
    in_use = picker.input_value()

    page.context.set_offline(True)
    page.get_by_role("button", name="Använd mall").tap()  # the picker's own button, too
    picker.select_option(label="DT thorax-buk")

    expect(page.locator("#report-form .draft-status")).to_contain_text(TEMPLATE_KEPT)
    assert _path(page) == screen
    expect(picker).to_have_value(in_use)

    page.context.set_offline(False)
    picker.select_option(label="DT thorax-buk")
    page.wait_for_url(re.compile(r"template=\d+"))
    expect(picker.locator("option:checked")).to_have_text("DT thorax-buk")


def test_a_template_refused_for_unsent_text_shows_the_template_in_use(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rad")
    page.goto(f"{live_server.url}/reporting/{seeded['case_id']}")
    picker = page.locator("#template")
    in_use = picker.input_value()

    page.context.set_offline(True)
    page.get_by_role("textbox", name="Fynd").fill("Liten subduralblödning höger.")
    picker.select_option(label="DT thorax-buk")

    expect(page.locator("#report-form .draft-status")).to_have_text(
        "Ingen kontakt med datorn – mallen byttes inte, så att texten ligger kvar."
    )
    expect(picker).to_have_value(in_use)


@pytest.mark.parametrize("cut_off", [_offline, _laptop_silent], ids=["offline", "silent"])
def test_a_board_filter_changed_without_the_laptop_stays_on_the_board(
    page: Page, live_server, live_app, cut_off
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/board/")
    board = _path(page)
    modality = page.locator("#board-filters #modality")
    shown = modality.input_value()

    cut_off(page)
    modality.select_option(index=1)

    expect(page.get_by_role("alert").filter(has_text=FILTER_KEPT)).to_be_visible()
    assert _path(page) == board
    expect(modality).to_have_value(shown)
    expect(page.locator(".board-row")).to_have_count(1)
    check_accessibility(page, every_impact=True)


AUDIT_KEPT = (
    "Ingen kontakt med datorn – loggen filtrerades inte. "
    "Tryck på Filtrera igen när kontakten är tillbaka."
)


@pytest.mark.parametrize("cut_off", [_offline, _laptop_silent], ids=["offline", "silent"])
def test_the_access_log_filtered_without_the_laptop_stays_on_the_log(
    page: Page, live_server, live_app, make_staff, cut_off
) -> None:
    make_staff(role="admin", username="admin-anna", display_name="Anna Admin")
    login(page, live_server.url, "admin-anna")
    page.goto(f"{live_server.url}/admin/audit")
    log = _path(page)
    page.get_by_role("textbox", name="Användare").fill("admin-anna")

    cut_off(page)
    page.get_by_role("button", name="Filtrera").tap()

    expect(page.get_by_role("alert").filter(has_text=AUDIT_KEPT)).to_be_visible()
    assert _path(page) == log
    assert urlsplit(page.url).query == ""
    expect(page.get_by_role("textbox", name="Användare")).to_have_value("admin-anna")
    check_accessibility(page, every_impact=True)

    page.context.set_offline(False)
    page.unroute("**/*")
    page.get_by_role("button", name="Filtrera").tap()
    page.wait_for_url(re.compile(r"/admin/audit\?.*username=admin-anna"))
