"""The reviewer page says whom the external reviewer calls in when the fault persists, as the
routine sheet at the fax does, with the number that answers now."""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Site
from webapp.sites import save_site_config

from .printforms.conftest import pdf_text

STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEDNESDAY_NOON = datetime(2026, 1, 14, 12, 0)
WEDNESDAY_NIGHT = datetime(2026, 1, 14, 22, 0)
ON_CALL = 'name = "Jourhavande radiolog"\nphone = "0999-100 50"\n'


def _edit_config(app: Flask, old: str, new: str) -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None and old in site.config_toml
        save_site_config(site.id, site.config_toml.replace(old, new, 1), None)


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _escalation(client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch, at: datetime) -> str:
    """The reviewer page's escalation, as markup ("" when the page has none)."""
    monkeypatch.setattr(
        "webapp.routines.reviewer_views.local_now", lambda: at.replace(tzinfo=STOCKHOLM)
    )
    auth.login("radiographer")
    page = client.get("/routines/reviewer").get_data(as_text=True)
    if 'id="escalation"' not in page:
        return ""
    return page.split('id="escalation"', 1)[1].split("</div>", 1)[0]


def test_the_reviewer_page_says_whom_the_reviewer_calls_in_as_the_sheet_does(
    client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.login("admin")
    sheet = client.get("/blanks/routines.pdf?scenario=external_reviewer").get_data()
    said = " ".join(pdf_text(sheet).split())
    line = "Kvarstår felet: granskaren ringer in Jourhavande radiolog. Telefon 0999-100 50"
    assert line + "." in said
    auth.logout()
    shown = _escalation(client, auth, monkeypatch, WEDNESDAY_NOON)
    assert line in _text(shown)
    assert 'href="tel:0999-10050"' in shown


def test_outside_its_hours_the_page_gives_whom_the_reviewer_calls_in_now(
    app: Flask, client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit_config(app, ON_CALL, ON_CALL + 'hours = ["mon-fri 07:00-16:00"]\nfallback = "tib"\n')
    shown = _escalation(client, auth, monkeypatch, WEDNESDAY_NIGHT)
    text = _text(shown)
    assert "Kvarstår felet: granskaren ringer in Tjänsteman i beredskap (TiB)." in text
    assert "(Jourhavande radiolog har stängt nu)" in text
    assert 'href="tel:0999-30000"' in shown
    assert "0999-100 50" not in shown


def test_in_its_hours_the_page_gives_the_escalation_contacts_own_number(
    app: Flask, client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit_config(app, ON_CALL, ON_CALL + 'hours = ["mon-fri 07:00-16:00"]\nfallback = "tib"\n')
    text = _text(_escalation(client, auth, monkeypatch, WEDNESDAY_NOON))
    assert "granskaren ringer in Jourhavande radiolog. Telefon 0999-100 50" in text
    assert "Öppet: mån–fre 07:00–16:00" in text


def test_a_routine_without_an_escalation_contact_shows_none(
    app: Flask, client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit_config(app, 'escalation_contact = "oncall_radiologist"', "")
    assert _escalation(client, auth, monkeypatch, WEDNESDAY_NOON) == ""


def test_closed_with_no_one_after_it_the_page_says_what_to_do_instead_of_a_call(
    app: Flask, client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    after = "Ingen jour – ring TiB vid fara"
    hours = f'hours = ["mon-fri 07:00-16:00"]\nafter_hours = "{after}"\n'
    _edit_config(app, ON_CALL, ON_CALL + hours)
    shown = _escalation(client, auth, monkeypatch, WEDNESDAY_NIGHT)
    text = _text(shown)
    assert "granskaren ringer in Jourhavande radiolog." in text
    assert "Jourhavande radiolog har stängt nu." in text and after in text
    assert "0999-100 50" in text and "btn-call" not in shown
