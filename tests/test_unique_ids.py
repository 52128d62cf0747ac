"""Every id on a page is unique: a link to #id, a label's for and aria-describedby each find one."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .dbsetup import make_test_app
from .factories import declare_incident
from .test_access_wall import ROLES, World, build_world, concrete_path, login, ordered_rules


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs).get("id")
        if found:
            self.ids.append(found)


def duplicate_ids(page: str) -> dict[str, int]:
    parser = _Ids()
    parser.feed(page)
    return {k: n for k, n in Counter(parser.ids).items() if n > 1}


@pytest.fixture
def csrf_app(tmp_path: Path) -> Flask:
    """The app as tablets get it, with CSRF on: each form then carries its hidden token."""
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
    yield app
    teardown()


def _with_csrf(app: Flask, client: FlaskClient, role: str) -> FlaskClient:
    login(client, app, role)
    app.config["WTF_CSRF_ENABLED"] = True
    return client


@pytest.mark.parametrize("restored", [False, True])
def test_the_incident_page_has_no_duplicate_ids(csrf_app: Flask, restored: bool) -> None:
    client = csrf_app.test_client()
    login(client, csrf_app, "admin")
    incident_id = declare_incident(client)
    if restored:
        client.post(f"/incidents/{incident_id}/restored", data={"restored": "1"})
    _with_csrf(csrf_app, client, "admin")
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert '<section class="panel" id="scenario">' in page  # where declare's link lands
    assert duplicate_ids(page) == {}


def test_the_incident_page_refusing_a_scenario_has_no_duplicate_ids(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    login(client, csrf_app, "radiographer")
    incident_id = declare_incident(client)
    response = client.post(f"/incidents/{incident_id}/scenario", data={"scenario": ""})
    assert response.status_code == 400
    assert duplicate_ids(response.get_data(as_text=True)) == {}


@pytest.mark.parametrize("role", ROLES)
def test_no_page_a_role_reaches_has_duplicate_ids(csrf_app: Flask, role: str) -> None:
    world: World = build_world(csrf_app)
    client = _with_csrf(csrf_app, csrf_app.test_client(), role)
    params = world.params()
    found = {}
    checked = 0
    for rule in ordered_rules(csrf_app):
        if "GET" not in (rule.methods or set()) or rule.endpoint in ("auth.logout", "static"):
            continue
        response = client.get(concrete_path(rule, params))
        if response.status_code != 200 or response.mimetype != "text/html":
            response.close()
            continue
        checked += 1
        duplicates = duplicate_ids(response.get_data(as_text=True))
        if duplicates:
            found[rule.rule] = duplicates
    assert checked >= 10
    assert found == {}
