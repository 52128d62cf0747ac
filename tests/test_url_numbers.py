"""A number in an address too big for the database (a misread QR, a typo) is not found: no 500."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .test_access_wall import ROLES

HUGE = "99999999999999999999"  # past any integer column, PostgreSQL's or SQLite's


def _paths(app: Flask) -> list[tuple[str, str]]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        text = re.sub(r"<int:\w+>", HUGE, rule.rule)
        text = re.sub(r"<(\w+:)?\w+>", "X", text)
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        paths.append((method, text))
    return paths


@pytest.mark.parametrize("role", ROLES)
def test_a_huge_number_in_any_address_is_not_found(
    app: Flask, client: FlaskClient, auth, role: str
) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    auth.login(role)
    paths = _paths(app)
    assert len(paths) > 40  # every case, report, print and catch-up page has a number
    for method, path in paths:
        response = client.open(path, method=method)
        assert response.status_code in (403, 404), (method, path, response.status_code)
