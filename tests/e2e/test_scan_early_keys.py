"""A scanner that reads a sheet the moment the scan station opens: the station's script, run
after the page, must not take the characters typed before it.

The field has autofocus, so a keyboard-wedge scanner types into it as soon as the page shows;
the script then focuses and selects the field (so a code drawn back by the server is replaced
by the next read). Selecting what was typed meanwhile let the next keystroke replace it: the
first characters of the code were lost and the lookup failed ("V-UBV" for the whole code).
"""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from webapp.codes import make_case_payload

from .conftest import login
from .seed import seed_case


def test_characters_typed_before_the_station_script_runs_are_kept(
    page: Page, live_server, live_app, make_staff
) -> None:
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    login(page, live_server.url, "sek1")
    held: list[Route] = []
    # The station's script held back, as on a slow tablet: the page is drawn, the field focused.
    page.route("**/js/scan.js*", lambda route: held.append(route))
    page.goto(f"{live_server.url}/scan", wait_until="commit")
    field = page.get_by_label("Kod")
    expect(field).to_be_focused()
    payload = make_case_payload(seeded["code"], "UTL", 1)
    half = len(payload) // 2
    page.keyboard.type(payload[:half])
    expect(field).to_have_value(payload[:half])
    page.wait_for_timeout(200)
    assert held, "the station's script was not requested"
    for route in held:
        route.continue_()
    # The script has run once the field's hint is in place (as the camera button is offered).
    page.wait_for_function("() => document.readyState === 'complete'")
    page.keyboard.type(payload[half:])
    expect(field).to_have_value(payload)
    page.keyboard.press("Enter")
    expect(page.locator(".patient-header")).to_contain_text(seeded["code"])
