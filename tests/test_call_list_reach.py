"""The "Ring nu" list with what a routine says of a contact: every phone number of it as a call
button, and a contact with no one after its hours shown closed with what to do instead."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Site
from webapp.routines.queries import contacts_now
from webapp.siteconfig import parse_site_config
from webapp.sites import save_site_config

from .test_lang_of_parts import lang_of

STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEDNESDAY_NOON = datetime(2026, 1, 14, 12, 0)
WEDNESDAY_NIGHT = datetime(2026, 1, 14, 22, 0)
AFTER_HOURS = "Ingen jour – vänta till vardag 07:00, eller ring TiB vid fara"
BY_DAY = (
    '[[contacts]]\nkey = "teknik"\nname = "Tekniska frågor"\n'
    'phone = ["0999-700 00", "0999-700 02"]\nhours = ["mon-fri 07:00-16:00"]\n'
    f'after_hours = "{AFTER_HOURS}"\n\n'
)


def _site_with_technical_questions(app: Flask) -> str:
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None
        calls = 'calls = ["it_support", "tib"]'
        assert calls in site.config_toml
        text = site.config_toml.replace(calls, 'calls = ["teknik", "it_support", "tib"]', 1)
        text = text.replace("[scenarios.integration]", BY_DAY + "[scenarios.integration]", 1)
        save_site_config(site.id, text, None)
        return text


def _calls_at(
    moment: datetime, app: Flask, monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> str:
    _site_with_technical_questions(app)
    monkeypatch.setattr("webapp.incidents.page.local_now", lambda: moment.replace(tzinfo=STOCKHOLM))
    auth.login("radiographer")
    page = client.post(
        "/incidents/new", data={"scenario": "integration"}, follow_redirects=True
    ).get_data(as_text=True)
    return page.split('id="calls"', 1)[1].split("</section>", 1)[0]


def _entry(listed: str, name: str) -> str:
    return next(item for item in listed.split('<li class="contact') if name in item)


def test_every_phone_number_of_an_open_contact_is_a_call_button(
    app: Flask, monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> None:
    entry = _entry(_calls_at(WEDNESDAY_NOON, app, monkeypatch, client, auth), "Tekniska frågor")
    buttons = re.findall(r'<a class="btn btn-call" href="tel:([0-9-]+)"', entry)
    assert buttons == ["0999-70000", "0999-70002"]
    assert AFTER_HOURS not in entry
    assert "har stängt nu" not in entry


def test_outside_its_hours_a_contact_without_fallback_is_shown_closed_with_what_to_do(
    app: Flask, monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> None:
    entry = _entry(_calls_at(WEDNESDAY_NIGHT, app, monkeypatch, client, auth), "Tekniska frågor")
    assert "Tekniska frågor har stängt nu." in entry
    assert AFTER_HOURS in entry
    # Its numbers stay readable, but not as a button that reads as "call now".
    assert "0999-700 00" in entry and "0999-700 02" in entry
    assert "btn-call" not in entry
    assert "mån–fre 07:00–16:00" in entry


def test_the_closed_contact_reads_in_english_with_its_own_text_marked_swedish(
    app: Flask, monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> None:
    client.post("/language", data={"lang": "en", "next": "/"})
    listed = _calls_at(WEDNESDAY_NIGHT, app, monkeypatch, client, auth)
    entry = _entry(listed, "Tekniska frågor")
    assert "is closed now." in entry
    assert "har stängt nu" not in entry
    assert lang_of(listed, AFTER_HOURS) == {"sv"}


def test_contacts_now_says_which_answering_contact_is_closed(app: Flask) -> None:
    config = parse_site_config(_site_with_technical_questions(app))
    keys = ("teknik", "it_support", "tib")
    assert [(c.contact.key, c.is_closed) for c in contacts_now(config, keys, WEDNESDAY_NIGHT)] == [
        ("teknik", True),
        ("it_jour", False),
        ("tib", False),
    ]
    assert not any(c.is_closed for c in contacts_now(config, keys, WEDNESDAY_NOON))
