""" "Logga ut" in a tab opened before a later login (CSRF on): its token is the earlier
session's, so it is refused, and the refusal offers a "Logga ut" that works."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .dbsetup import make_test_app
from .e2e.seed import seed_case
from .factories import DEFAULT_PIN


@pytest.fixture
def csrf_app(tmp_path: Path) -> Flask:
    app, teardown = make_test_app(tmp_path)
    seed_case(app, sign="")
    yield app
    teardown()


def _token(page: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert match, "no csrf token on page"
    return match.group(1)


def _log_in(client: FlaskClient) -> None:
    token = _token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": "seed-rsk", "secret": DEFAULT_PIN, "csrf_token": token}
    )
    assert response.status_code == 302


def _stale_tab(client: FlaskClient) -> str:
    """A tab's token from a login that another tab then logged out and in again."""
    _log_in(client)
    stale = _token(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": stale}).status_code == 302
    _log_in(client)
    return stale


def test_logout_from_a_stale_tab_offers_a_logout_that_ends_the_session(
    csrf_app: Flask,
) -> None:
    client = csrf_app.test_client()
    stale = _stale_tab(client)
    refused = client.post("/logout", data={"csrf_token": stale})
    assert refused.status_code == 400
    page = unescape(refused.get_data(as_text=True))
    form = re.search(r'<form method="post" action="/logout"[^>]*>(.*?)</form>', page, re.S)
    assert form and "Logga ut" in form.group(1)
    response = client.post("/logout", data={"csrf_token": _token(form.group(1))})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    # The login is over: the start page asks for one.
    assert client.get("/").status_code == 302


def test_switch_user_from_a_stale_tab_stays_a_switch(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    stale = _stale_tab(client)
    page = client.post("/logout", data={"csrf_token": stale, "switch": "1"}).get_data(as_text=True)
    form = re.search(r'<form method="post" action="/logout"[^>]*>(.*?)</form>', page, re.S)
    assert form and 'name="switch" value="1"' in form.group(1)
