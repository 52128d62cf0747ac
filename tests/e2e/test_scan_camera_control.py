"""Scan station camera: one camera at a time, closed when asked; a refusal says what to do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserType, Page, expect

from .conftest import CHROMIUM, CHROMIUM_ARGS, login
from .test_scan_camera import HEIGHT, WIDTH

# Every stream the page is given, so the test can see whether each one was stopped.
RECORD_STREAMS = """
(() => {
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  window.__streams = [];
  navigator.mediaDevices.getUserMedia = (constraints) =>
    original(constraints).then((stream) => { window.__streams.push(stream); return stream; });
})();
"""


def blank_video(path: Path) -> Path:
    """A Y4M clip of white paper with no QR code: the camera runs and finds nothing."""
    luma = bytes([235]) * (WIDTH * HEIGHT)
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + (b"FRAME\n" + luma + chroma + chroma) * 10)
    return path


def _live_tracks(page: Page) -> int:
    return int(
        page.evaluate(
            "window.__streams.flatMap(s => s.getTracks())"
            ".filter(t => t.readyState === 'live').length"
        )
    )


@pytest.fixture
def camera_browser(browser_type: BrowserType, tmp_path: Path) -> Iterator[Browser]:
    browser = browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={blank_video(tmp_path / 'blank.y4m')}",
        ],
    )
    yield browser
    browser.close()


def test_tapping_the_camera_button_again_gives_no_second_camera_and_close_stops_it(
    camera_browser: Browser,
    browser_context_args: dict[str, Any],
    live_server,
    make_staff,
) -> None:
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    context = camera_browser.new_context(**browser_context_args)
    context.add_init_script(RECORD_STREAMS)
    page = context.new_page()
    login(page, live_server.url, "sek1")
    page.goto(f"{live_server.url}/scan")
    start = page.get_by_role("button", name="Skanna med kameran")
    # A double tap: the second comes before the camera has started.
    page.evaluate("const b = document.getElementById('camera-start'); b.click(); b.click();")
    expect(page.locator("#camera-status")).to_have_text("Rikta kameran mot QR-koden.")
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__streams.length") == 1
    # While the camera runs there is nothing to start again.
    expect(start).to_be_hidden()
    page.get_by_role("button", name="Stäng kameran").tap()
    assert _live_tracks(page) == 0
    expect(page.locator("#camera")).to_be_hidden()
    # The camera can be opened again after it was closed.
    start.tap()
    expect(page.locator("#camera-video")).to_be_visible()
    page.wait_for_function("window.__streams.length === 2")
    assert _live_tracks(page) == 1
    context.close()


@contextmanager
def _camera_tapped(
    browser_type: BrowserType, context_args: dict[str, Any], base_url: str, flags: list[str]
) -> Iterator[Page]:
    """The scan station after a tap on the camera button, in a browser started with `flags`."""
    browser = browser_type.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *flags])
    try:
        context = browser.new_context(**context_args)
        page = context.new_page()
        login(page, base_url, "sek1")
        page.goto(f"{base_url}/scan")
        page.get_by_role("button", name="Skanna med kameran").tap()
        yield page
        context.close()
    finally:
        browser.close()


def test_a_camera_the_browser_refuses_says_how_to_allow_it(
    browser_type: BrowserType,
    browser_context_args: dict[str, Any],
    live_server,
    make_staff,
) -> None:
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    flags = ["--use-fake-device-for-media-stream", "--deny-permission-prompts"]
    with _camera_tapped(browser_type, browser_context_args, live_server.url, flags) as page:
        expect(page.locator("#camera-status")).to_have_text(
            "Kameran är inte tillåten för den här sidan. Tillåt kameran i webbläsarens "
            "inställningar, eller skriv koden och tryck Enter."
        )
        # Nothing to close: only the message shows, and the field is ready for the scanner.
        expect(page.locator("#camera-video")).to_be_hidden()
        expect(page.locator("#code")).to_be_focused()


def test_a_tablet_without_a_camera_says_so(
    browser_type: BrowserType,
    browser_context_args: dict[str, Any],
    live_server,
    make_staff,
) -> None:
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    # No fake device: the test machine has no camera.
    flags = ["--use-fake-ui-for-media-stream"]
    with _camera_tapped(browser_type, browser_context_args, live_server.url, flags) as page:
        expect(page.locator("#camera-status")).to_have_text(
            "Ingen kamera hittades. Skriv koden i stället och tryck Enter."
        )
        expect(page.locator("#code")).to_be_focused()
