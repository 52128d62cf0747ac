"""A checklist item's key in the site configuration never stands for the app's own log entries."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.siteconfig import SiteConfigError, parse_site_config
from webapp.startup import prepare

from .factories import declare_incident, store_earlier_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
# The follow-up "TiB told the systems work again" keyed as the app keys its own restore mark.
RESTORED_KEY = EXAMPLE.replace('key = "tib_restored"', 'key = "restored"')


def test_unticking_a_follow_up_does_not_undo_the_systems_restored_mark(
    app: Flask, client: FlaskClient, auth
) -> None:
    store_earlier_config(app, RESTORED_KEY)
    prepare(app)  # a configuration stored before the key was refused
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    client.post(f"/incidents/{incident_id}/restored", data={"restored": "1"})
    for done in ("1", "0"):
        client.post(
            f"/incidents/{incident_id}/steps", data={"step_key": "restored", "is_done": done}
        )
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "Systemen fungerar igen sedan" in page


@pytest.mark.parametrize("key", ["restored", "scenario", "note", "deviation"])
def test_a_checklist_key_the_app_uses_itself_is_refused_with_a_swedish_message(key: str) -> None:
    text = EXAMPLE.replace('key = "tib_restored"', f'key = "{key}"', 1)
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(text)
    assert f"nyckeln {key} används av programmet" in str(refused.value)
    # A stored file that has one still starts; the admin is told, and the item is left out.
    config = parse_site_config(text, strict=False)
    assert any(f"nyckeln {key}" in broken.text() for broken in config.broken_rules)
    assert key not in {n.key for s in config.scenarios.values() for n in s.follow_up}


def test_the_keys_refused_are_the_incident_logs_own() -> None:
    from webapp.models import IncidentLogEntry
    from webapp.siteconfig import APP_STEP_KEYS

    own = {
        IncidentLogEntry.SCENARIO_CHANGE,
        IncidentLogEntry.SYSTEMS_RESTORED,
        IncidentLogEntry.DEVIATION,
        IncidentLogEntry.DECLARED_LATE,
        IncidentLogEntry.CASE_MOVE,
        "note",
    }
    assert own <= set(APP_STEP_KEYS)
