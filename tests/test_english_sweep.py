"""English mode: every page each role reaches, and the main forms' errors, read in English."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .english_sweep_support import page_texts, stored_texts, swedish_left
from .test_access_wall import (
    EXPECTED,
    LAST,
    PUBLIC,
    ROLES,
    World,
    build_world,
    concrete_path,
    login,
    ordered_rules,
)


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _english(client: FlaskClient) -> None:
    assert client.post("/language", data={"lang": "en", "next": "/"}).status_code == 302


def _html(client: FlaskClient, path: str) -> tuple[int, str]:
    response = client.get(path)
    body = response.get_data().decode("utf-8", "replace")
    response.close()
    html = response.mimetype == "text/html"
    return response.status_code, body if html else ""


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_reads_in_english(app: Flask, world: World, role: str) -> None:
    client = app.test_client()
    login(client, app, role)
    _english(client)
    with app.app_context():
        data = stored_texts()
    found: dict[str, list[str]] = {}
    pages = 0
    for rule in ordered_rules(app):
        expected = EXPECTED[rule.endpoint]
        if rule.endpoint in LAST or "GET" not in (rule.methods or ()):
            continue
        if expected != PUBLIC and role not in expected:
            continue
        status, html = _html(client, concrete_path(rule, world.params()))
        if not html:
            continue
        pages += 1
        left = swedish_left(page_texts(html), data)
        if left:
            found[f"{rule.rule} ({status})"] = left
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
    assert pages > 5
