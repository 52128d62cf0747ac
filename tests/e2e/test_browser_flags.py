"""The browser the journeys run in: Playwright's own settings kept, the address-bar popup off."""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserType

from .conftest import CHROMIUM, CHROMIUM_ARGS, OMNIBOX_POPUP_FEATURES


def _disabled_features(browser: Browser) -> set[str]:
    """The features the running browser was told to disable: the last switch is the one used."""
    page = browser.new_page()
    page.goto("chrome://version")
    switches = page.locator("#command_line").inner_text().split()
    page.close()
    given = [s.split("=", 1)[1] for s in switches if s.startswith("--disable-features=")]
    return set(given[-1].split(",")) if given else set()


def _browser_ui_pages(browser: Browser) -> list[str]:
    targets = browser.new_browser_cdp_session().send("Target.getTargets")["targetInfos"]
    return [t["url"] for t in targets if t["type"] == "browser_ui"]


def test_the_journeys_browser_keeps_playwrights_disabled_features_and_opens_no_address_bar_popup(
    browser_type: BrowserType,
) -> None:
    plain = browser_type.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
    try:
        playwrights = _disabled_features(plain)
        context = plain.new_context()
        context.new_page().goto("data:text/html,<p>x")
        # Without the flag the popup is there: the check below would not pass by accident.
        assert any("omnibox-popup" in url for url in _browser_ui_pages(plain))
    finally:
        plain.close()
    ours = browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        disabled = _disabled_features(ours)
        assert playwrights, "Playwright disabled no features: the flag's reason is gone"
        assert playwrights <= disabled, f"Playwright's own, lost: {playwrights - disabled}"
        assert set(OMNIBOX_POPUP_FEATURES) <= disabled
        context = ours.new_context()
        context.new_page().goto("data:text/html,<p>x")
        assert _browser_ui_pages(ours) == []
    finally:
        ours.close()
