"""A "Ring nu" list names each contact that answers once: two listed contacts that both hand
over to the same one after hours would send staff to call one number twice, unsure whom."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Site
from webapp.routines.queries import contacts_now
from webapp.siteconfig import parse_site_config
from webapp.sites import save_site_config

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A Saturday night: the servicedesk (weekdays 07-17) has handed over to IT-beredskap.
NIGHT = datetime(2026, 1, 17, 3, 0)
WEEKDAY = datetime(2026, 1, 14, 10, 0)


def test_two_contacts_answered_by_the_same_one_after_hours_are_one_entry() -> None:
    config = parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8"))
    calls = contacts_now(config, ("it_support", "it_jour", "tib"), NIGHT)
    assert [(tuple(c.key for c in closed), now.key) for closed, now, _ in calls] == [
        (("it_support",), "it_jour"),
        ((), "tib"),
    ]


def test_by_day_each_contact_answers_for_itself() -> None:
    config = parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8"))
    calls = contacts_now(config, ("it_support", "it_jour"), WEEKDAY)
    assert [(tuple(c.key for c in closed), now.key) for closed, now, _ in calls] == [
        ((), "it_support"),
        ((), "it_jour"),
    ]


def test_the_incident_page_lists_the_on_call_number_once_at_night(
    app: Flask, monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None
        calls = 'calls = ["it_support", "tib"]'
        assert calls in site.config_toml
        text = site.config_toml.replace(calls, 'calls = ["it_support", "it_jour", "tib"]', 1)
        save_site_config(site.id, text, None)
    monkeypatch.setattr("webapp.incidents.page.local_now", lambda: NIGHT.replace(tzinfo=STOCKHOLM))
    auth.login("radiographer")
    page = client.post(
        "/incidents/new", data={"scenario": "integration"}, follow_redirects=True
    ).get_data(as_text=True)
    listed = page.split('id="calls"', 1)[1].split("</section>", 1)[0]
    assert len(re.findall(r'href="tel:0999-20099"', listed)) == 1
    assert "IT-support (servicedesk) har stängt nu" in listed
    assert 'href="tel:0999-30000"' in listed
