"""The reviewer's case page by day with what the routine says of the contacts: a reviewer no one
stands in for says what to do instead, and a fallback with two phone numbers gives both."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Site
from webapp.sites import save_site_config

from .test_routines_reviewer_closed_fax import NOON, ONCALL, _case_page_at

REVIEWER_HOURS = 'hours = ["mon-sun 21:00-07:30"]\nfallback = "oncall_radiologist"'
AFTER_HOURS = "Ingen granskare dagtid – jourhavande radiolog granskar på plats"


def _edit_site(app: Flask, old: str, new: str) -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None and old in site.config_toml
        save_site_config(site.id, site.config_toml.replace(old, new, 1), None)


def test_by_day_a_reviewer_without_fallback_says_what_to_do_instead(
    app: Flask, monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> None:
    _edit_site(
        app, REVIEWER_HOURS, f'hours = ["mon-sun 21:00-07:30"]\nafter_hours = "{AFTER_HOURS}"'
    )
    page = _case_page_at(monkeypatch, client, auth, NOON)
    closed = page.split('id="reviewer-closed"', 1)[1].split("</div>", 1)[0]
    assert "Extern granskare natt (teleradiologi) har stängt nu" in closed
    assert AFTER_HOURS in closed
    assert 'value="0999-600 01"' not in page


def test_by_day_every_phone_number_of_the_fallback_is_a_call_button(
    app: Flask, monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> None:
    two = ONCALL.replace('phone = "0999-100 50"', 'phone = ["0999-100 50", "0999-100 51"]')
    _edit_site(app, ONCALL, two)
    page = _case_page_at(monkeypatch, client, auth, NOON)
    closed = page.split('id="reviewer-closed"', 1)[1].split("</div>", 1)[0]
    assert re.findall(r'class="btn btn-call" href="tel:([0-9-]+)"', closed) == [
        "0999-10050",
        "0999-10051",
    ]
