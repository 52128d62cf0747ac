"""The tablet's browser reads the manifest as the app means it: no errors, full screen."""

from __future__ import annotations

from playwright.sync_api import Page


def test_the_browser_reads_the_manifest_without_errors_before_login(
    page: Page, live_server
) -> None:
    page.goto(f"{live_server.url}/")
    cdp = page.context.new_cdp_session(page)
    # What Chromium parsed, as it does to put the app on the home screen.
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert manifest["url"].startswith(f"{live_server.url}/static/manifest.webmanifest?v=")
    parsed = manifest["manifest"]
    assert parsed["name"] == "Reservrutin"
    assert parsed["startUrl"] == parsed["scope"] == f"{live_server.url}/"
    # Chromium names the mode its own way ("kStandalone").
    assert parsed["display"].lower().endswith("standalone")
    assert [icon["url"] for icon in parsed["icons"]] == [
        f"{live_server.url}/static/img/icon-192.png",
        f"{live_server.url}/static/img/icon-512.png",
    ]
    for icon in parsed["icons"]:
        assert page.request.get(icon["url"]).ok
    # Installable as it is: the test's browser profile is a private one, which alone is not.
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert {error["errorId"] for error in errors} <= {"in-incognito"}
