"""A return address (login's ?next=, the language switch's and a draft's next) never prints or
exports by itself.

Opening a print or an export records it: a print count (the next sheet says KOPIA), an
export's starting point for the next "changed only". A link to /login?next=<export> from
anywhere, or a session that ended on one, would otherwise record it as soon as the user logged
in, though they only meant to log in. They get a page with the link instead, which a tap opens.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.access import records_on_open
from webapp.extensions import db
from webapp.models import AuditEvent, Draft, ExportBatch, PrintRecord

from .factories import DEFAULT_PIN, make_user
from .test_access_wall import ROLES, World, build_world, concrete_path, login, ordered_rules
from .test_cross_site_requests import _all_rows


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _log_in(app: Flask, client: FlaskClient, role: str, next_page: str) -> str:
    """Log in through /login?next=…; the page the login leads to, followed to the end."""
    with app.app_context():
        make_user(role=role, username=f"test-{role}")
    response = client.post(
        "/login",
        query_string={"next": next_page},
        data={"username": f"test-{role}", "secret": DEFAULT_PIN},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_logging_in_towards_an_export_records_no_export(app: Flask, world: World) -> None:
    client = app.test_client()
    exports = _count(app, ExportBatch)
    path = f"/catchup/incidents/{world.incident_id}/export/csv"
    page = _log_in(app, client, "secretary", path)
    assert _count(app, ExportBatch) == exports
    assert f'href="{path}"' in page
    # The tap the page asks for makes the export.
    assert client.get(path).status_code == 200
    assert _count(app, ExportBatch) == exports + 1


def test_logging_in_towards_a_print_prints_nothing(app: Flask, world: World) -> None:
    client = app.test_client()
    prints = _count(app, PrintRecord)
    path = f"/print/cases/{world.case_id}/all.pdf"
    page = _log_in(app, client, "radiographer", path)
    assert _count(app, PrintRecord) == prints
    assert f'href="{path}"' in page
    assert "Öppna sidan" in page


def test_logging_in_towards_an_audit_export_logs_no_export(app: Flask, world: World) -> None:
    client = app.test_client()
    page = _log_in(app, client, "admin", "/admin/audit.csv?username=bo")
    with app.app_context():
        exported = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "audit_export")
        )
    assert exported == 0
    assert 'href="/admin/audit.csv?username=bo"' in page


def test_logging_in_towards_a_page_still_opens_it(app: Flask, world: World) -> None:
    client = app.test_client()
    with app.app_context():
        make_user(role="radiographer", username="test-radiographer")
    response = client.post(
        "/login",
        query_string={"next": f"/cases/{world.case_id}"},
        data={"username": "test-radiographer", "secret": DEFAULT_PIN},
    )
    assert response.headers["Location"] == f"/cases/{world.case_id}"


def test_switching_language_on_the_way_to_a_print_prints_nothing(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, app, "radiographer")
    prints = _count(app, PrintRecord)
    path = f"/print/incidents/{world.incident_id}/list.pdf"
    response = client.post("/language", data={"lang": "en", "next": path}, follow_redirects=True)
    assert response.mimetype == "text/html"
    assert _count(app, PrintRecord) == prints
    assert f'href="{path}"' in response.get_data(as_text=True)


def test_discarding_a_draft_on_the_way_to_a_print_prints_nothing(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, app, "radiographer")
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id).where(Draft.form_key == world.draft_key))
    prints = _count(app, PrintRecord)
    path = f"/print/cases/{world.case_id}/referral.pdf"
    response = client.post(
        f"/drafts/{draft_id}/discard", data={"next": path}, follow_redirects=True
    )
    assert response.mimetype == "text/html"
    assert _count(app, PrintRecord) == prints
    assert f'href="{path}"' in response.get_data(as_text=True)


def test_the_page_with_the_link_never_links_off_the_laptop(
    app: Flask, client: FlaskClient, auth
) -> None:  # type: ignore[no-untyped-def]
    auth.login("radiographer")
    page = client.get("/open", query_string={"page": "//evil.example/x"}).get_data(as_text=True)
    assert 'href="//evil.example' not in page
    assert '<a class="btn btn-primary" href="/">' in page


@pytest.mark.parametrize("role", ROLES)
def test_the_views_that_record_when_opened_are_exactly_those_declared(
    app: Flask, world: World, role: str
) -> None:
    # Opened from the app, a GET that writes more than the access log's read, or hands over a
    # file, is a print or an export: it must say so (records_on_open), and only such GETs do.
    client = app.test_client()
    login(client, app, role)
    before = _all_rows(app)
    undeclared, idle = [], []
    for rule in ordered_rules(app):
        if "GET" not in (rule.methods or set()) or rule.endpoint == "static":
            continue
        response = client.get(concrete_path(rule, world.params()))
        response.get_data()
        after = _all_rows(app)
        changed = {table for table in before if before[table] != after.get(table)}
        before = after
        if response.status_code in (302, 403, 404):
            continue
        records = bool(changed - {"audit_event"}) or "Content-Disposition" in response.headers
        declared = records_on_open(app.view_functions[rule.endpoint])
        if records and not declared:
            undeclared.append(rule.endpoint)
        if declared and not changed:
            idle.append(rule.endpoint)
    assert undeclared == []
    assert idle == []
