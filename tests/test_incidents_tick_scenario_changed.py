"""A tick from a page drawn before another tablet changed the outage's scenario: refused.

The new routine's contacts are to be made again (TiB tells the wards how to refer now); a tick
of a contact made under the routine the page showed must not count as made under the new one.
"""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient

from .factories import audit_events, declare_incident

CHANGED = "Scenariot har ändrats sedan sidan öppnades"


def _tick_form(page: str, key: str) -> dict[str, str]:
    """The hidden fields of the tick for `key`, as the page drew them."""
    for form in re.findall(r"<form.*?</form>", page, re.S):
        if f'data-step="{key}"' in form:
            return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    raise AssertionError(f"no tick for {key}")


def _page(client: FlaskClient, incident_id: int) -> str:
    return html.unescape(client.get(f"/incidents/{incident_id}").get_data(as_text=True))


def test_a_contact_ticked_on_a_page_of_the_scenario_before_is_not_counted_for_the_new_one(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    drawn = _tick_form(_page(client, incident_id), "tib_informed")
    other = tablet_factory("kollega")
    changed = other.post(f"/incidents/{incident_id}/scenario", data={"scenario": "total"})
    assert changed.status_code == 302
    response = client.post(
        f"/incidents/{incident_id}/steps",
        data={**drawn, "note": "TiB: avdelningarna faxar pappersremiss"},
    )
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert CHANGED in page
    # The typed note stays, and the new routine's TiB tick is still to be made.
    assert "TiB: avdelningarna faxar pappersremiss" in page
    assert 'aria-pressed="false" data-step="tib_informed"' in page
    assert audit_events(app, "incident_step") == []


def test_a_tick_on_a_page_of_the_scenario_now_is_counted(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    tablet_factory("kollega").post(f"/incidents/{incident_id}/scenario", data={"scenario": "total"})
    drawn = _tick_form(_page(client, incident_id), "tib_informed")
    response = client.post(f"/incidents/{incident_id}/steps", data=drawn)
    assert response.status_code == 302
    assert 'aria-pressed="true" data-step="tib_informed"' in _page(client, incident_id)
    assert len(audit_events(app, "incident_step")) == 1


def _restore_form(page: str, restored: str) -> dict[str, str]:
    """The hidden fields of the page's "systems work again" form (or its undo)."""
    for form in re.findall(r"<form.*?</form>", page, re.S):
        if f'name="restored" value="{restored}"' in form:
            return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    raise AssertionError(f"no restore form {restored}")


def test_systems_marked_working_on_a_page_of_the_scenario_before_are_not_marked(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    # RIS was down; another tablet changed the outage to PACS down. The systems this page says
    # are down work again, but the outage's are still down: all tablets must stay on paper.
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    drawn = _restore_form(_page(client, incident_id), "1")
    tablet_factory("kollega").post(f"/incidents/{incident_id}/scenario", data={"scenario": "pacs"})
    response = client.post(f"/incidents/{incident_id}/restored", data=drawn, follow_redirects=True)
    page = html.unescape(response.get_data(as_text=True))
    assert CHANGED in page
    assert "Systemen fungerar igen sedan" not in page
    assert audit_events(app, "incident_restored") == []


def test_systems_marked_working_on_a_page_of_the_scenario_now_are_marked(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    tablet_factory("kollega").post(f"/incidents/{incident_id}/scenario", data={"scenario": "pacs"})
    drawn = _restore_form(_page(client, incident_id), "1")
    client.post(f"/incidents/{incident_id}/restored", data=drawn)
    assert "Systemen fungerar igen sedan" in _page(client, incident_id)
    assert len(audit_events(app, "incident_restored")) == 1
