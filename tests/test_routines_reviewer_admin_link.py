"""The reviewer page's message after the night and the outage routine's notification that the
RIS/PACS administrators are informed: one tick when the site's reviewer routine names that
notification's key, whatever key the department gave it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.incidents.queries import step_states
from webapp.siteconfig import SiteConfigError, parse_site_config

from .dbsetup import make_test_app
from .other_site_support import NORDMARK, done, last_id, login, shown

LINKED = 'admin_notification = "forvaltningen_meddelad"\n'


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app on a fresh database whose only site is Nordmark."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "site.toml").write_text(NORDMARK, encoding="utf-8")
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
    yield app
    teardown()


def _admin_tick_key(page: str) -> str:
    """The key the reviewer page's "message sent" tick posts."""
    section = page.split('id="admins"', 1)[1].split("</section>", 1)[0]
    found = re.search(r'name="key" value="([^"]*)"', section)
    assert found is not None
    return found[1]


def _admin_tick_pressed(page: str) -> bool:
    section = page.split('id="admins"', 1)[1].split("</section>", 1)[0]
    return 'aria-pressed="true"' in section


def _declare(app: Flask, client: FlaskClient) -> str:
    login(app, client, "radiographer")
    return last_id(done(client.post("/incidents/new", data={"scenario": "kedjan"})))


def test_the_message_after_the_night_ticks_the_routines_notification_under_its_own_key(
    app: Flask, client: FlaskClient
) -> None:
    incident_id = _declare(app, client)
    page = client.get("/routines/reviewer").get_data(as_text=True)
    assert _admin_tick_key(page) == "forvaltningen_meddelad"
    tick = {"key": "forvaltningen_meddelad", "is_done": "1", "incident_id": incident_id}
    done(client.post("/routines/reviewer/steps", data=tick | {"form_key": "t" * 20}))
    with app.app_context():
        assert step_states(int(incident_id))["forvaltningen_meddelad"].is_done
    incident_page = shown(client.get(f"/incidents/{incident_id}"))
    assert "Avbockat men inte längre i rutinen" not in incident_page


def test_the_routines_notification_ticked_on_the_incident_shows_the_message_as_sent(
    app: Flask, client: FlaskClient
) -> None:
    incident_id = _declare(app, client)
    tick = {"step_key": "forvaltningen_meddelad", "is_done": "1", "form_key": "i" * 20}
    done(client.post(f"/incidents/{incident_id}/steps", data=tick))
    assert _admin_tick_pressed(client.get("/routines/reviewer").get_data(as_text=True))


def test_a_site_without_the_link_ticks_the_message_apart_and_lists_no_removed_tick(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "site.toml").write_text(NORDMARK.replace(LINKED, ""), encoding="utf-8")
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
    try:
        client = app.test_client()
        incident_id = _declare(app, client)
        key = _admin_tick_key(client.get("/routines/reviewer").get_data(as_text=True))
        assert key != "forvaltningen_meddelad"
        tick = {"key": key, "is_done": "1", "incident_id": incident_id, "form_key": "t" * 20}
        done(client.post("/routines/reviewer/steps", data=tick))
        reviewer = client.get("/routines/reviewer").get_data(as_text=True)
        assert _admin_tick_pressed(reviewer)
        assert "Avbockat men inte längre i rutinen" not in reviewer
        with app.app_context():
            assert "forvaltningen_meddelad" not in step_states(int(incident_id))
        incident_page = shown(client.get(f"/incidents/{incident_id}"))
        assert "Avbockat men inte längre i rutinen" not in incident_page
    finally:
        teardown()


def test_a_link_to_a_notification_no_routine_has_is_refused_naming_the_routine_and_key() -> None:
    text = NORDMARK.replace(LINKED, 'admin_notification = "forvaltningen_mailad"\n')
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(text)
    message = str(refused.value)
    assert "routines.external_reviewer" in message
    assert "admin_notification" in message and "forvaltningen_mailad" in message


def test_a_stored_configuration_with_a_broken_link_still_loads_unlinked() -> None:
    text = NORDMARK.replace(LINKED, 'admin_notification = "forvaltningen_mailad"\n')
    config = parse_site_config(text, strict=False)
    assert config.routines.external_reviewer.admin_notification == ""
    assert any("forvaltningen_mailad" in broken.text() for broken in config.broken_rules)


def test_the_example_site_keeps_its_message_and_notification_one_tick() -> None:
    config = parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8"))
    assert config.routines.external_reviewer.admin_notification == "admins_mailed"
