"""CSRF protection is on for every POST (this module runs with it enabled)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from .dbsetup import make_test_app
from .factories import DEFAULT_PIN, make_user


@pytest.fixture
def csrf_app(tmp_path: Path) -> Flask:
    app, teardown = make_test_app(tmp_path)
    with app.app_context():
        make_user(username="anna")
    yield app
    teardown()


def _token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, "no csrf token on page"
    return match.group(1)


def test_login_without_token_is_refused(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "anna", "secret": DEFAULT_PIN})
    assert response.status_code == 400
    assert "säkerhetsnyckeln" in response.get_data(as_text=True)


def test_login_with_token_succeeds(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    token = _token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": "anna", "secret": DEFAULT_PIN, "csrf_token": token}
    )
    assert response.status_code == 302


def test_state_change_without_token_is_refused_when_logged_in(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    token = _token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "anna", "secret": DEFAULT_PIN, "csrf_token": token})
    response = client.post("/incidents/new", data={"scenario": "pacs"})
    assert response.status_code == 400
    page = client.get("/incidents/new").get_data(as_text=True)
    response = client.post("/incidents/new", data={"scenario": "pacs", "csrf_token": _token(page)})
    assert response.status_code == 302


def test_token_does_not_expire_under_an_open_form(csrf_app: Flask) -> None:
    assert csrf_app.config["WTF_CSRF_TIME_LIMIT"] is None


@pytest.mark.parametrize("body", ["form", "json"])
def test_every_state_changing_route_refuses_a_request_without_a_token(
    tmp_path: Path, body: str
) -> None:
    from .test_access_wall import build_world, concrete_path, ordered_rules

    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
    try:
        world = build_world(app)
        app.config["WTF_CSRF_ENABLED"] = True
        with app.app_context():
            make_user(role="admin", username="csrf-admin")
        client = app.test_client()
        token = _token(client.get("/login").get_data(as_text=True))
        login = {"username": "csrf-admin", "secret": DEFAULT_PIN, "csrf_token": token}
        assert client.post("/login", data=login).status_code == 302
        accepted = []
        for rule in ordered_rules(app):
            for method in sorted((rule.methods or set()) - {"GET", "HEAD", "OPTIONS"}):
                path = concrete_path(rule, world.params())
                if body == "json":
                    response = client.open(path, method=method, json={"kind": "referral"})
                else:
                    response = client.open(path, method=method, data={"confirm": "1"})
                if response.status_code != 400:
                    accepted.append((method, rule.rule, response.status_code))
        assert accepted == []
    finally:
        teardown()
