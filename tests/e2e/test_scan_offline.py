"""Scan station without the laptop: the code stays in the field and the station says it was not
looked up, whether typed (or USB-scanned) and sent with Enter or read by the camera."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserType, Page, expect

from webapp.codes import make_case_payload

from .conftest import CHROMIUM, CHROMIUM_ARGS, check_accessibility, login
from .seed import seed_case
from .test_offline_autosubmit import _laptop_silent, _offline, _path
from .test_scan_camera import camera_video

NOT_LOOKED_UP = (
    "Ingen kontakt med datorn – koden söktes inte. Skanna igen när kontakten är tillbaka."
)


@pytest.mark.parametrize("cut_off", [_offline, _laptop_silent], ids=["offline", "silent"])
def test_a_code_sent_with_enter_without_the_laptop_stays_on_the_station(
    page: Page, live_server, live_app, make_staff, cut_off
) -> None:
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    login(page, live_server.url, "sek1")
    page.goto(f"{live_server.url}/scan")
    station = _path(page)
    payload = make_case_payload(seeded["code"], "UTL", 1)

    cut_off(page)
    # A keyboard-wedge scanner types the payload and Enter into the focused field.
    page.keyboard.type(payload)
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_have_text(NOT_LOOKED_UP)
    assert _path(page) == station
    field = page.get_by_label("Kod")
    expect(field).to_have_value(payload)
    expect(field).to_be_focused()
    check_accessibility(page, every_impact=True)
    # The kept code is selected: the scanner's next read replaces it instead of adding to it.
    page.keyboard.type(payload)
    expect(field).to_have_value(payload)


def test_a_code_kept_offline_opens_the_case_with_enter_when_the_connection_is_back(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    login(page, live_server.url, "sek1")
    page.goto(f"{live_server.url}/scan")

    page.context.set_offline(True)
    page.get_by_label("Kod").fill(seeded["code"])
    page.get_by_role("button", name="Öppna").tap()
    expect(page.get_by_role("alert")).to_have_text(NOT_LOOKED_UP)

    page.context.set_offline(False)
    expect(page.get_by_role("alert")).to_have_text("Kontakten är tillbaka – försök igen.")
    page.keyboard.press("Enter")
    expect(page.locator(".patient-header")).to_contain_text(seeded["code"])


@pytest.mark.parametrize("cut_off", [_offline, _laptop_silent], ids=["offline", "silent"])
def test_a_camera_read_without_the_laptop_stays_on_the_station(
    browser_type: BrowserType,
    browser_context_args: dict[str, Any],
    live_server,
    live_app,
    make_staff,
    tmp_path: Path,
    cut_off,
) -> None:
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    payload = make_case_payload(seeded["code"], "REM", 1)
    video = camera_video(tmp_path / "sheet.y4m", payload)
    browser = browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = browser.new_context(**browser_context_args)
        page = context.new_page()
        login(page, live_server.url, "sek1")
        page.goto(f"{live_server.url}/scan")
        station = _path(page)
        # The decoder came with an earlier scan; the connection went after it.
        decoder = page.locator("#camera").get_attribute("data-decoder-url")
        page.add_script_tag(url=f"{live_server.url}{decoder}")

        cut_off(page)
        page.get_by_role("button", name="Skanna med kameran").tap()

        expect(page.get_by_role("alert")).to_have_text(NOT_LOOKED_UP, timeout=15_000)
        assert _path(page) == station
        field = page.get_by_label("Kod")
        expect(field).to_have_value(payload)
        expect(field).to_be_focused()
        # The camera closed with the read, as it does when the case opens.
        expect(page.locator("#camera")).to_be_hidden()
        context.close()
    finally:
        browser.close()


CAMERA_NO_LAPTOP = (
    "Kameran kunde inte startas: ingen kontakt med datorn. Försök igen när kontakten är tillbaka."
)


def _unknown_code(known: str) -> str:
    from webapp.codes import check_character

    body = "ABCDE" if known[:3] != "ABC" else "BCDEF"
    return f"{body[:3]}-{body[3:]}{check_character(body)}"


@pytest.mark.parametrize("cut_off", [_offline, _laptop_silent], ids=["offline", "silent"])
def test_the_camera_started_without_the_laptop_says_the_laptop_cannot_be_reached(
    page: Page, live_server, live_app, make_staff, cut_off
) -> None:
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    login(page, live_server.url, "sek1")
    page.goto(f"{live_server.url}/scan")
    station = _path(page)

    # Never used before: its decoder is still on the laptop.
    cut_off(page)
    page.get_by_role("button", name="Skanna med kameran").tap()

    expect(page.locator("#camera-status")).to_have_text(CAMERA_NO_LAPTOP)
    assert _path(page) == station
    expect(page.get_by_label("Kod")).to_be_focused()
    check_accessibility(page, every_impact=True)


def test_a_camera_that_fails_with_the_laptop_there_does_not_blame_the_connection(
    page: Page, live_server, live_app, make_staff
) -> None:
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    login(page, live_server.url, "sek1")
    page.goto(f"{live_server.url}/scan")
    page.route("**/jsQR.js*", lambda route: route.abort("failed"))
    page.get_by_role("button", name="Skanna med kameran").tap()
    expect(page.locator("#camera-status")).to_have_text("Kameran kunde inte startas.")


def test_a_refusal_after_a_code_not_found_replaces_the_not_found_error(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    login(page, live_server.url, "sek1")
    page.goto(f"{live_server.url}/scan")
    unknown = _unknown_code(seeded["code"])
    page.keyboard.type(unknown)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(f"Inget ärende har koden {unknown}")

    page.context.set_offline(True)
    field = page.get_by_label("Kod")
    field.fill(seeded["code"])
    page.keyboard.press("Enter")

    # One message, the newest: the error was about the code no longer in the field.
    expect(page.get_by_role("alert")).to_have_text(NOT_LOOKED_UP)
    expect(page.get_by_text("Inget ärende har koden")).to_have_count(0)
    expect(field).not_to_have_attribute("aria-invalid", "true")
    # The error's id goes from the field's description; the hint of what it takes stays.
    expect(field).to_have_attribute("aria-describedby", "code-hint")
    check_accessibility(page, every_impact=True)


def test_the_newest_of_a_camera_failure_and_a_refusal_is_the_one_shown(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    login(page, live_server.url, "sek1")
    page.goto(f"{live_server.url}/scan")
    page.context.set_offline(True)
    camera_status = page.locator("#camera-status")

    page.get_by_role("button", name="Skanna med kameran").tap()
    expect(camera_status).to_have_text(CAMERA_NO_LAPTOP)
    page.get_by_label("Kod").fill(seeded["code"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text(NOT_LOOKED_UP)
    expect(camera_status).to_be_hidden()

    page.get_by_role("button", name="Skanna med kameran").tap()
    expect(camera_status).to_have_text(CAMERA_NO_LAPTOP)
    expect(page.locator(".submit-refused")).to_have_count(0)
