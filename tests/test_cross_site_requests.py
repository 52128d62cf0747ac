"""A page of another site cannot act in a logged-in user's name by sending their browser here.

The session cookie is SameSite=Lax, so a browser sends it with a top-level GET from any site: a
link, or a script setting the address, on any page a tablet or the secretaries' PC opens. Some
GETs record something (an export, a print) and every page with patient data logs a read in the
user's name. The browser says where a request came from (Fetch Metadata, Sec-Fetch-Site).
"""

from __future__ import annotations

import hashlib

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select, text

from webapp.extensions import db
from webapp.models import AuditEvent, ExportBatch, Incident, PrintRecord

from .test_access_wall import (
    PATIENT_NAME,
    PERSONAL_NUMBERS,
    ROLES,
    World,
    build_world,
    concrete_path,
    login,
    ordered_rules,
)

FOREIGN = {
    "Sec-Fetch-Site": "cross-site",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Dest": "document",
}
# Another host under the hospital's domain (the intranet, a ticket system) is the same site.
SAME_SITE = {**FOREIGN, "Sec-Fetch-Site": "same-site"}
FROM_APP = {**FOREIGN, "Sec-Fetch-Site": "same-origin"}
TYPED = {**FOREIGN, "Sec-Fetch-Site": "none"}


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _all_rows(app: Flask) -> dict[str, str]:
    with app.app_context(), db.engine.connect() as connection:
        tables = [
            table
            for table in inspect(connection).get_table_names()
            # Written by any request: a login's last activity is not an action of the user.
            if table != "user_session"
        ]
        return {
            table: hashlib.sha256(
                repr(
                    sorted(map(repr, connection.execute(text(f'SELECT * FROM "{table}"'))))
                ).encode()
            ).hexdigest()
            for table in tables
        }


def _secretary(app: Flask) -> FlaskClient:
    client = app.test_client()
    login(client, app, "secretary")
    return client


@pytest.mark.parametrize("headers", [FOREIGN, SAME_SITE], ids=["cross-site", "same-site"])
def test_a_link_from_another_site_records_no_export(
    app: Flask, world: World, headers: dict[str, str]
) -> None:
    client = _secretary(app)
    exports = _count(app, ExportBatch)
    path = f"/catchup/incidents/{world.incident_id}/export/csv"
    response = client.get(path, headers=headers)
    assert response.status_code == 403
    assert _count(app, ExportBatch) == exports
    page = response.get_data(as_text=True)
    assert f'href="{path}"' in page
    assert "annan webbplats" in page


def test_a_link_from_another_site_records_no_print(app: Flask, world: World) -> None:
    client = _secretary(app)
    prints = _count(app, PrintRecord)
    response = client.get(f"/print/cases/{world.case_id}/all.pdf", headers=FOREIGN)
    assert response.status_code == 403
    assert response.mimetype == "text/html"
    assert _count(app, PrintRecord) == prints


def test_a_link_from_another_site_logs_no_read_and_shows_no_patient(
    app: Flask, world: World
) -> None:
    client = _secretary(app)
    events = _count(app, AuditEvent)
    response = client.get(f"/cases/{world.case_id}", headers=FOREIGN)
    assert response.status_code == 403
    assert PATIENT_NAME not in response.get_data(as_text=True)
    assert _count(app, AuditEvent) == events


@pytest.mark.parametrize("headers", [FROM_APP, TYPED, {}], ids=["from-app", "typed", "no-header"])
def test_an_export_asked_from_the_app_or_a_typed_address_is_made(
    app: Flask, world: World, headers: dict[str, str]
) -> None:
    client = _secretary(app)
    exports = _count(app, ExportBatch)
    response = client.get(f"/catchup/incidents/{world.incident_id}/export/csv", headers=headers)
    assert response.status_code == 200
    assert _count(app, ExportBatch) == exports + 1


def test_the_link_on_the_refusal_opens_the_page(app: Flask, world: World) -> None:
    client = _secretary(app)
    path = f"/cases/{world.case_id}?tab=exam"
    refused = client.get(path, headers=FOREIGN).get_data(as_text=True)
    assert f'href="/cases/{world.case_id}?tab=exam"' in refused
    response = client.get(path, headers=FROM_APP)
    assert response.status_code == 200
    assert PATIENT_NAME in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/login", "/healthz"])
def test_the_start_and_login_pages_open_from_a_link_on_the_intranet(
    app: Flask, world: World, path: str
) -> None:
    client = _secretary(app)
    assert client.get(path, headers=SAME_SITE).status_code == 200


def test_a_form_sent_from_another_site_is_refused(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    # CSRF protection is off in this app: the refusal is the origin's, not the token's.
    auth.login("radiographer")
    response = client.post("/incidents/new", data={"scenario": "pacs"}, headers=FOREIGN)
    assert response.status_code == 403
    assert _count(client.application, Incident) == 0


@pytest.mark.parametrize("role", ROLES)
def test_no_route_opened_from_another_site_changes_anything_or_shows_a_patient(
    app: Flask, world: World, role: str
) -> None:
    client = app.test_client()
    login(client, app, role)
    before = _all_rows(app)
    failures = []
    for rule in ordered_rules(app):
        if "GET" not in (rule.methods or set()) or rule.endpoint == "static":
            continue
        response = client.get(concrete_path(rule, world.params()), headers=FOREIGN)
        # A PDF that went out would not be text: read it as far as it is.
        body = response.get_data().decode("utf-8", "replace")
        after = _all_rows(app)
        changed = sorted(table for table in before if before[table] != after.get(table))
        if changed:
            failures.append((rule.rule, "changed", changed))
        if PATIENT_NAME in body or any(number in body for number in PERSONAL_NUMBERS):
            failures.append((rule.rule, "shows the patient", response.status_code))
        before = after
    assert failures == []
