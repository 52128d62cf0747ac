"""Browser journeys: a real server in a thread, Debian's Chromium, tablet viewports, CSRF on."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page
from werkzeug.serving import make_server

from ..dbsetup import make_test_app
from ..factories import DEFAULT_PIN, make_user

CHROMIUM = os.environ.get("RESERVRUTIN_CHROMIUM", "/usr/bin/chromium")
# Chromium honours only the last --disable-features it is given, so ours repeats the list the
# pinned Playwright passes (test_browser_flags.py checks it still does).
PLAYWRIGHT_DISABLED_FEATURES = (
    "AimEnabled",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsFirstBalancedModeAutoEnable",
    "HttpsUpgrades",
    "LensOverlay",
    "MediaRouter",
    "NetworkTimeServiceQuerying",
    "OptimizationHints",
    "PaintHolding",
    "PreconnectToSearch",
    "TcpPortRandomizationWin",
    "ThirdPartyStoragePartitioning",
    "msEdgeUpdateLaunchServicesPreferredVersion",
    "msForceBrowserSignIn",
)
# Every new context opens a browser window, and Chromium's headless mode builds each window's
# address-bar popup as a web page of its own in a renderer of its own: half of a context's CPU,
# and tablets' pages never see it. Measured on two browser test files: the browser's CPU fell
# from 40 to 30 s.
OMNIBOX_POPUP_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxFullPopup", "WebUIOmniboxAimPopup")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + OMNIBOX_POPUP_FEATURES),
]
PORTRAIT = {"width": 768, "height": 1024}
LANDSCAPE = {"width": 1024, "height": 768}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium saknas på {CHROMIUM}: kör `make browser` (apt-get install chromium)."
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "viewport": PORTRAIT,
        "has_touch": True,
        "locale": "sv-SE",
        "timezone_id": "Europe/Stockholm",
    }


@pytest.fixture
def utc_tablet(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    """A tablet whose own time zone was left on UTC, an hour or two behind the site's clocks."""
    context = browser.new_context(**{**browser_context_args, "timezone_id": "UTC"})
    yield context.new_page()
    context.close()


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        # The serve loop looks for a shutdown once per poll: at the default half second every
        # browser test's teardown waited a quarter of a second on average for nothing.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture
def live_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    # The journeys type today's dates: their outages begin when declared.
    app, teardown = make_test_app(tmp_path, on_data_day=False)
    yield app
    teardown()


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    server = LiveServer(live_app)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make_staff(live_app: Flask) -> Callable[..., Any]:
    def factory(**kwargs: Any) -> Any:
        with live_app.app_context():
            return make_user(**kwargs)

    return factory


def check_accessibility(page: Page, *, every_impact: bool = False) -> None:
    """Fail on any serious or critical axe-core violation of the page as shown.

    every_impact fails on "minor" and "moderate" too, as the sweep of every page does.
    """
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
        for v in results.response["violations"]
        if every_impact or v.get("impact") in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: " + " | ".join(bad)


def assert_no_horizontal_scroll(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


# Every journey logs in, and axe takes about a second a page on this VM. The login page differs
# between journeys only in its CSRF token and server address, and in the recent users it lists:
# each look of it, at each viewport, is checked once per test worker.
_CHECKED_LOGIN_LOOKS: set[str] = set()
_CSRF_INPUT = re.compile(r"<input[^>]*csrf_token[^>]*>")


def login(page: Page, base_url: str, username: str, pin: str = DEFAULT_PIN) -> None:
    page.goto(f"{base_url}/login")
    html = _CSRF_INPUT.sub("", page.content()).replace(base_url, "")
    look = f"{page.viewport_size}\n{html}"  # axe's findings may depend on the layout
    if look not in _CHECKED_LOGIN_LOOKS:
        check_accessibility(page)
        _CHECKED_LOGIN_LOOKS.add(look)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("PIN-kod eller lösenord").fill(pin)
    page.get_by_role("button", name="Logga in").tap()
    page.wait_for_url(f"{base_url}/")
