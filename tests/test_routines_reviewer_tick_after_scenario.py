"""The reviewer page's "message sent" tick is the outage routine's notification that the RIS/PACS
administrators are informed: after a change of scenario the incident page and the close ask for
it again, so the reviewer page must not go on showing it as made."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from .factories import incident_of
from .routines_support import make_case

PRESSED = 'aria-pressed="true" data-step="admins_mailed"'


def _admin_tick_pressed(page: str) -> bool:
    section = page.split('id="admins"', 1)[1].split("</section>", 1)[0]
    return 'aria-pressed="true"' in section


def test_the_message_sent_tick_is_to_be_made_again_after_a_change_of_scenario(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    incident_id = incident_of(app, make_case(client, auth))
    auth.login("radiographer")
    tick = {"key": "admins_mailed", "is_done": "1", "incident_id": str(incident_id)}
    assert client.post("/routines/reviewer/steps", data=tick).status_code == 302
    assert _admin_tick_pressed(client.get("/routines/reviewer").get_data(as_text=True))
    changed = tablet_factory("kollega").post(
        f"/incidents/{incident_id}/scenario", data={"scenario": "total"}
    )
    assert changed.status_code == 302
    incident_page = html.unescape(client.get(f"/incidents/{incident_id}").get_data(as_text=True))
    assert 'aria-pressed="false" data-step="admins_mailed"' in incident_page
    # The reviewer page says the same as the incident page and the close: not made yet.
    assert not _admin_tick_pressed(client.get("/routines/reviewer").get_data(as_text=True))


def test_the_message_sent_tick_after_the_change_shows_on_both_pages(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    incident_id = incident_of(app, make_case(client, auth))
    tablet_factory("kollega").post(f"/incidents/{incident_id}/scenario", data={"scenario": "total"})
    auth.login("radiographer")
    tick = {"key": "admins_mailed", "is_done": "1", "incident_id": str(incident_id)}
    assert client.post("/routines/reviewer/steps", data=tick).status_code == 302
    assert _admin_tick_pressed(client.get("/routines/reviewer").get_data(as_text=True))
    incident_page = html.unescape(client.get(f"/incidents/{incident_id}").get_data(as_text=True))
    assert PRESSED in incident_page
