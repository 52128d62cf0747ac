"""A HEAD request (a download manager probing a link, a link preview) takes no action.

Flask answers HEAD on every GET route by running the view: on an export it recorded an export
batch (the next 'changed only' export then left out what the probe 'received'), on a sheet it
counted a print (the first real one said KOPIA), on a page it wrote a read no one made.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ExportBatch, PrintRecord

from .catchup_world_support import world as world  # the fixture, shared
from .factories import audit_count


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_head_request_on_an_export_records_no_export_and_no_read(
    app: Flask, client: FlaskClient, world
) -> None:
    before = audit_count(app)
    response = client.head(f"/catchup/incidents/{world['incident_id']}/export/csv")
    assert response.status_code == 405
    assert _count(app, ExportBatch) == 0
    assert audit_count(app) == before


def test_a_head_request_on_a_sheet_is_no_print(app: Flask, client: FlaskClient, world) -> None:
    before = audit_count(app)
    response = client.head(f"/print/cases/{world['ids'][0]}/referral.pdf")
    assert response.status_code == 405
    assert _count(app, PrintRecord) == 0
    assert audit_count(app) == before


def test_a_head_request_on_a_page_writes_no_read(app: Flask, client: FlaskClient, world) -> None:
    before = audit_count(app)
    assert client.head(f"/cases/{world['ids'][0]}").status_code == 405
    assert audit_count(app) == before


def test_the_health_check_and_static_files_answer_head(client: FlaskClient) -> None:
    assert client.head("/healthz").status_code == 200
    with client.head("/static/css/app.css") as response:
        assert response.status_code == 200
