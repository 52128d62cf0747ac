"""Outside the reviewer's hours the case page says the reviewer is closed, as the routine page
does, and does not offer the closed fax number as if it answered."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Site
from webapp.sites import save_site_config

from .routines_support import make_case

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# The example site's reviewer answers 21:00-07:30; the on-call radiologist after that, no fax.
NIGHT = datetime(2026, 1, 14, 3, 0, tzinfo=STOCKHOLM)
NOON = datetime(2026, 1, 14, 12, 0, tzinfo=STOCKHOLM)
ONCALL = 'name = "Jourhavande radiolog"\nphone = "0999-100 50"'


def _case_page_at(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth, moment: datetime
) -> str:
    case_id = make_case(client, auth)
    monkeypatch.setattr("webapp.routines.reviewer_case_page.local_now", lambda: moment)
    auth.login("radiographer")
    return client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)


def test_at_night_the_reviewers_fax_is_offered_without_a_warning(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> None:
    page = _case_page_at(monkeypatch, client, auth, NIGHT)
    assert 'value="0999-600 01"' in page
    assert "har stängt nu" not in page


def test_by_day_the_closed_reviewers_fax_is_not_offered_and_the_page_says_so(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> None:
    page = _case_page_at(monkeypatch, client, auth, NOON)
    assert 'value="0999-600 01"' not in page
    assert 'id="fax-number"' in page
    assert "Extern granskare natt (teleradiologi) har stängt nu" in page
    assert "Jourhavande radiolog" in page and "0999-100 50" in page


def test_by_day_the_fallbacks_fax_is_offered_when_it_has_one(
    app: Flask, monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None and ONCALL in site.config_toml
        text = site.config_toml.replace(ONCALL, ONCALL + '\nfax = "0999-100 59"')
        save_site_config(site.id, text, None)
    page = _case_page_at(monkeypatch, client, auth, NOON)
    assert 'value="0999-100 59"' in page
    assert "har stängt nu" in page
