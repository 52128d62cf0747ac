"""Every backup is in each site's access log: the timed ones and the one taken at a close too.

A backup is a copy of every patient's data; the log review must see each one, not only those
an admin asked for.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.backup import list_backups, start_scheduler
from webapp.extensions import db
from webapp.models import AuditEvent, Site

from .catchup_support import close_incident, reconcile_world
from .catchup_world_support import world as world  # the fixture
from .factories import second_site

pytestmark = pytest.mark.sqlite_only  # the app backs up SQLite only


def _backup_rows(app: Flask) -> tuple[list[AuditEvent], set[int]]:
    with app.app_context():
        db.session.remove()
        rows = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "backup")))
        sites = set(db.session.scalars(select(Site.id)))
        db.session.expunge_all()
    return rows, sites


def test_a_timed_backup_is_in_each_sites_access_log_as_taken_by_the_system(
    app: Flask, tmp_path: Path
) -> None:
    second = second_site(app)
    stick = tmp_path / "usb"
    app.config["BACKUP_DIR"] = stick
    app.config["BACKUP_INTERVAL_MINUTES"] = 10_000
    start_scheduler(app)
    # The timer takes its first copy at once, in its own thread.
    deadline = time.monotonic() + 20
    rows: list[AuditEvent] = []
    while time.monotonic() < deadline:
        rows, sites = _backup_rows(app)
        if rows:
            break
        time.sleep(0.1)
    [path] = list_backups(stick)
    assert {r.site_id for r in rows} == sites and second in sites
    assert all(path.name in r.detail and str(stick) in r.detail for r in rows)
    assert all("automatisk" in r.detail for r in rows)
    assert all(r.user_id is None and r.username == "" for r in rows)
    assert all(r.case_id is None and r.patient_ref == "" for r in rows)


def test_the_backup_at_an_incidents_close_is_logged_in_the_closing_admins_name(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    second = second_site(app)
    stick = Path(app.config["DATA_DIR"]) / "usb"
    stick.mkdir()
    app.config["BACKUP_DIR"] = stick
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"])
    [path] = list_backups(stick)
    rows, sites = _backup_rows(app)
    assert {r.site_id for r in rows} == sites and second in sites
    assert all(path.name in r.detail and str(stick) in r.detail for r in rows)
    assert all(r.username == "test-admin" for r in rows)
    assert all(r.case_id is None for r in rows)


def test_timed_and_closing_backups_show_in_the_access_log_beside_the_asked_ones(
    app: Flask, client: FlaskClient, auth, tmp_path: Path
) -> None:
    stick = tmp_path / "usb"
    app.config["BACKUP_DIR"] = stick
    app.config["BACKUP_INTERVAL_MINUTES"] = 10_000
    start_scheduler(app)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not _backup_rows(app)[0]:
        time.sleep(0.1)
    [path] = list_backups(stick)
    auth.login("admin")
    page = client.get("/admin/audit?action=backup").get_data(as_text=True)
    assert path.name in page
