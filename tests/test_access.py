"""Every route declares who may reach it, and the server enforces it."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.access import rule_for


def _concrete(rule_text: str) -> str:
    return re.sub(r"<(?:int:)?[^>]+>", "1", rule_text)


def test_every_route_declares_an_access_rule(app: Flask) -> None:
    missing = [
        r.endpoint
        for r in app.url_map.iter_rules()
        if rule_for(app.view_functions[r.endpoint]) is None
    ]
    assert missing == []


def test_route_without_rule_is_denied(app: Flask) -> None:
    @app.route("/undeclared")
    def undeclared() -> str:
        return "secret"

    client = app.test_client()
    assert client.get("/undeclared").status_code == 403


def test_anonymous_user_reaches_only_public_routes(app: Flask, client: FlaskClient) -> None:
    for rule in app.url_map.iter_rules():
        access = rule_for(app.view_functions[rule.endpoint])
        if access.public or "GET" not in rule.methods:
            continue
        response = client.get(_concrete(rule.rule))
        assert response.status_code in (302, 401), rule.rule
        if response.status_code == 302:
            assert "/login" in response.headers["Location"], rule.rule


@pytest.mark.parametrize("role", ["radiographer", "radiologist", "secretary"])
def test_non_admins_get_403_on_admin_routes(app: Flask, client: FlaskClient, auth, role) -> None:
    auth.login(role=role)
    admin_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.")]
    assert admin_rules
    for rule in admin_rules:
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(_concrete(rule.rule), method=method)
        assert response.status_code == 403, rule.rule


def test_admin_reaches_admin_pages(client: FlaskClient, auth) -> None:
    auth.login(role="admin")
    for path in ("/admin/", "/admin/users", "/admin/site", "/admin/audit", "/admin/lan-qr.svg"):
        assert client.get(path).status_code == 200, path


def test_healthz_answers_without_login(client: FlaskClient) -> None:
    response = client.get("/healthz", environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_tells_the_laptop_itself_its_database_and_version(client: FlaskClient) -> None:
    body = client.get("/healthz", environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_json()
    assert body["database"] == "ok"
    assert body["version"]


def test_healthz_writes_nothing_and_sets_no_cookie(app: Flask, client: FlaskClient) -> None:
    # Every form asks it first (static/js/app.js): it must cost no row in the access log.
    from webapp.extensions import db
    from webapp.models import AuditEvent

    with app.app_context():
        before = db.session.query(AuditEvent).count()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        assert db.session.query(AuditEvent).count() == before


def test_security_headers_on_every_response(client: FlaskClient, auth) -> None:
    for path in ("/login", "/healthz", "/static/css/app.css"):
        response = client.get(path)
        headers = response.headers
        response.close()
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
    auth.login()
    assert client.get("/incidents/").headers["Cache-Control"] == "no-store"


def test_templates_have_no_inline_script(app: Flask) -> None:
    from pathlib import Path

    root = Path(app.template_folder)
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"\son[a-z]+=", text), path
        assert "style=" not in text, path


def test_session_cookie_is_httponly(client: FlaskClient, auth) -> None:
    auth.login()
    cookie = client.get_cookie("reservrutin_session")
    assert cookie is not None and cookie.http_only
    assert cookie.same_site == "Lax"
