"""A site configuration save and a new case or incident at the same moment: the code the save
removes is either found in use (the save is refused) or refused to the case or incident."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import webapp.cases.creation as creation
from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.incidents.services import IncidentError, declare_incident
from webapp.models import Case, Incident, Site, User
from webapp.siteconfig import parse_site_config
from webapp.sites import save_site_config

from .dbsetup import using_postgres
from .factories import declare_incident as declare_by_form
from .factories import referral_data
from .row_held import sent_while_stopped_before

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
PRIORITY = """[[priorities]]
code = "inom_timmar"
label = "Inom timmar"
rank = 2
max_wait_minutes = 360

"""
WITHOUT_PRIORITY = EXAMPLE.replace(PRIORITY, "", 1)


def _without_scenario(key: str) -> str:
    start = EXAMPLE.index(f"[scenarios.{key}]")
    end = EXAMPLE.index("[scenarios.", start + 1)
    return EXAMPLE[:start] + EXAMPLE[end:]


def _site_id(app: Flask) -> int:
    with app.app_context():
        site_id = db.session.scalar(select(Site.id))
        assert site_id is not None
        return site_id


def _count(app: Flask, *where: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Case).where(*where)) or 0)


def test_the_priority_removed_is_one_that_only_cases_name() -> None:
    assert PRIORITY in EXAMPLE
    assert "inom_timmar" not in WITHOUT_PRIORITY
    parse_site_config(WITHOUT_PRIORITY)


def test_a_referral_whose_priority_a_save_removed_meanwhile_is_refused_next_to_the_field(
    app: Flask, client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.login("radiographer")
    declare_by_form(client, "om_ris")
    site_id = _site_id(app)
    real = creation.write_once

    def saved_meanwhile(*args: Any) -> Any:
        # The form was checked against the configuration the request began with.
        save_site_config(site_id, WITHOUT_PRIORITY, None)
        return real(*args)

    monkeypatch.setattr(creation, "write_once", saved_meanwhile)
    response = client.post(
        "/cases/new", data=referral_data(priority="inom_timmar", clinical_question="Blödning?")
    )
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    error = re.search(r'id="priority-error"[^>]*>(.*?)</p>', page, re.S)
    assert error and "prioriteten inom_timmar finns inte längre" in error.group(1)
    assert "Blödning?" in page
    # The choices shown are the configuration's as saved now.
    assert 'value="inom_timmar"' not in page
    assert _count(app) == 0


def test_a_drill_whose_scenario_a_save_removed_meanwhile_is_refused(app: Flask, auth) -> None:
    auth.login("radiographer")
    site_id = _site_id(app)
    with app.test_request_context():
        drawn_with = parse_site_config(EXAMPLE)
        save_site_config(site_id, _without_scenario("pacs"), None)
        user = db.session.scalar(select(User).where(User.username == "test-radiographer"))
        assert user is not None
        with pytest.raises(IncidentError, match="finns inte längre i enhetens konfiguration"):
            declare_incident(user=user, config=drawn_with, scenario="pacs", is_drill=True)
        assert db.session.scalar(select(func.count()).select_from(Incident)) == 0


@pytest.mark.skipif(not using_postgres(), reason="SQLite runs the writes one at a time")
def test_a_save_while_a_referral_with_its_removed_priority_is_written_is_refused(
    app: Flask, client: FlaskClient, auth, tablet_factory: Callable[..., FlaskClient]
) -> None:
    """The case is inserted before the save checks the codes in use, and commits after."""
    auth.login("radiographer")
    declare_by_form(client, "om_ris")
    admin = tablet_factory("admin-anna", role="admin")
    answer, saved = sent_while_stopped_before(
        app,
        re.compile(r'INSERT INTO "?case"?\s', re.I),
        lambda: client.post("/cases/new", data=referral_data(priority="inom_timmar")),
        lambda: admin.post("/admin/site", data={"config_toml": WITHOUT_PRIORITY}),
    )
    assert answer.status_code == 302
    assert saved.status_code == 400
    assert "prioriteten inom_timmar" in html.unescape(saved.get_data(as_text=True))
    with app.app_context():
        assert 'code = "inom_timmar"' in (db.session.scalar(select(Site.config_toml)) or "")
    assert _count(app, Case.priority == "inom_timmar") == 1


@pytest.mark.skipif(not using_postgres(), reason="SQLite runs the writes one at a time")
def test_a_save_while_a_drill_of_its_removed_scenario_is_declared_is_refused(
    app: Flask, client: FlaskClient, auth, tablet_factory: Callable[..., FlaskClient]
) -> None:
    """The incident is inserted before the save checks the scenarios in use, and commits after."""
    auth.login("radiographer")
    admin = tablet_factory("admin-anna", role="admin")
    answer, saved = sent_while_stopped_before(
        app,
        re.compile(r'INSERT INTO "?incident"?\s', re.I),
        lambda: client.post("/incidents/new", data={"scenario": "pacs", "is_drill": "y"}),
        lambda: admin.post("/admin/site", data={"config_toml": _without_scenario("pacs")}),
    )
    assert answer.status_code == 302
    assert saved.status_code == 400
    assert "scenariot pacs" in html.unescape(saved.get_data(as_text=True))
