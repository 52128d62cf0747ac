"""A backup on the database's own disk is refused when it would leave too little room there.

A full disk stops the database from saving (principle 1): no copy is worth that. The copies
already taken stay as they were.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.backup import BackupError, list_backups, make_backup, run_backup
from webapp.laptop_health import GB, MB

from .laptop_support import disk_with

pytestmark = pytest.mark.sqlite_only  # the app backs up SQLite only


def _url(app: Flask) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"]


def _on_the_databases_disk(app: Flask) -> Path:
    folder = Path(app.config["DATA_DIR"]) / "kopior"
    folder.mkdir()
    return folder


def test_a_backup_that_would_leave_too_little_room_is_refused_and_the_old_copies_kept(
    app: Flask,
) -> None:
    folder = _on_the_databases_disk(app)
    older = [make_backup(_url(app), folder, keep=2) for _ in range(2)]
    with pytest.raises(BackupError) as refused:
        make_backup(_url(app), folder, keep=2, disk_usage=disk_with(300 * MB))
    assert refused.value.reason == "low_space"
    message = str(refused.value)
    assert "Säkerhetskopian togs inte" in message and str(folder) in message
    assert "MB ledigt på databasens disk" in message and "de 500 MB databasen behöver" in message
    # Nothing new written, nothing pruned: the last copies are still the way back.
    assert list_backups(folder) == older
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in older)


def test_a_backup_with_room_to_spare_is_taken(app: Flask) -> None:
    folder = _on_the_databases_disk(app)
    copy = make_backup(_url(app), folder, keep=2, disk_usage=disk_with(2 * GB))
    assert list_backups(folder) == [copy]


def test_a_refused_timed_backup_is_logged_and_shown_on_the_admin_page_until_one_succeeds(
    app: Flask, client: FlaskClient, auth, caplog: pytest.LogCaptureFixture
) -> None:
    folder = _on_the_databases_disk(app)
    app.config["BACKUP_DIR"] = folder
    app.config["DISK_USAGE"] = disk_with(100 * MB)
    with caplog.at_level(logging.ERROR), app.app_context():
        assert run_backup(app) is None
    assert any("Säkerhetskopian togs inte" in r.getMessage() for r in caplog.records)
    assert list_backups(folder) == []
    auth.login("admin")
    page = html.unescape(client.get("/admin/").get_data(as_text=True))
    assert "Senaste säkerhetskopieringen misslyckades" in page
    assert "för lite ledigt utrymme skulle bli kvar på databasens disk" in page
    app.config["DISK_USAGE"] = disk_with(50 * GB)
    with app.app_context():
        assert run_backup(app) is not None
    page = html.unescape(client.get("/admin/").get_data(as_text=True))
    assert "Senaste säkerhetskopieringen misslyckades" not in page


def test_backup_now_says_the_disk_would_be_too_full(app: Flask, client: FlaskClient, auth) -> None:
    app.config["BACKUP_DIR"] = _on_the_databases_disk(app)
    app.config["DISK_USAGE"] = disk_with(100 * MB)
    auth.login("admin")
    page = html.unescape(client.post("/admin/backup", follow_redirects=True).get_data(as_text=True))
    assert (
        "Säkerhetskopieringen misslyckades: för lite ledigt utrymme skulle bli kvar på "
        "databasens disk" in page
    )
