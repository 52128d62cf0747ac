"""Backing up now ("Säkerhetskopiera nu") while another program holds the write lock past SQLite's
wait: the admin is told the database was busy and to try again, never shown a 500."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp import storage
from webapp.backup import list_backups, sqlite_path
from webapp.extensions import db
from webapp.models import AuditEvent

pytestmark = pytest.mark.sqlite_only

KEY = "c" * 24


@pytest.fixture
def admin(app: Flask, client: FlaskClient, tmp_path: Path, auth) -> FlaskClient:  # type: ignore[no-untyped-def]
    app.config["BACKUP_DIR"] = tmp_path / "usb"
    (tmp_path / "usb").mkdir()
    auth.login("admin")
    return client


@pytest.fixture
def other_program_writing(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Another program's open write transaction on the database file (BEGIN IMMEDIATE)."""
    # The app's wait for the lock, shortened from 15 s: connections made from now on wait less.
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 300)
    with app.app_context():
        db.engine.dispose()
    other = sqlite3.connect(sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"]), timeout=1)
    other.isolation_level = None
    other.execute("BEGIN IMMEDIATE")
    yield
    other.execute("ROLLBACK")
    other.close()


def _backup_rows(app: Flask) -> int:
    with app.app_context():
        db.session.remove()
        return int(
            db.session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "backup")
            )
            or 0
        )


def test_backup_now_under_another_programs_write_lock_says_busy_not_500(
    app: Flask, admin: FlaskClient, other_program_writing: None
) -> None:
    response = admin.post("/admin/backup", data={"form_key": KEY}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "databasen var upptagen; försök igen" in page
    assert list_backups(Path(app.config["BACKUP_DIR"])) == []


def test_the_same_form_sent_again_once_the_lock_is_let_go_takes_the_backup(
    app: Flask, admin: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 300)
    database = sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])
    other = sqlite3.connect(database, timeout=1)
    other.isolation_level = None
    other.execute("BEGIN IMMEDIATE")
    with app.app_context():
        db.engine.dispose()
    admin.post("/admin/backup", data={"form_key": KEY})
    other.execute("ROLLBACK")
    other.close()
    response = admin.post("/admin/backup", data={"form_key": KEY}, follow_redirects=True)
    [copy] = list_backups(Path(app.config["BACKUP_DIR"]))
    assert f"Säkerhetskopia sparad: {copy.name}" in response.get_data(as_text=True)
    assert _backup_rows(app) >= 1


def test_a_copy_whose_access_log_row_met_the_lock_is_not_kept(
    app: Flask, admin: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 300)
    with app.app_context():
        db.engine.dispose()
    other = sqlite3.connect(sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"]), timeout=1)
    other.isolation_level = None

    def room_then_lock(folder: Path) -> object:
        # Measured just before the copy: the other program starts writing while it is taken.
        # (The laptop's health reads the room too, on the answer page.)
        if not other.in_transaction:
            other.execute("BEGIN IMMEDIATE")
        return shutil.disk_usage(folder)

    app.config["DISK_USAGE"] = room_then_lock
    try:
        response = admin.post("/admin/backup", data={"form_key": KEY}, follow_redirects=True)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert response.status_code == 200
    assert "databasen var upptagen; försök igen" in response.get_data(as_text=True)
    assert list(Path(app.config["BACKUP_DIR"]).iterdir()) == []
    assert _backup_rows(app) == 0


def test_the_backup_command_whose_log_row_meets_another_programs_lock_keeps_no_copy(
    app: Flask, runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy is made before its access-log row: unlogged, it must not stay on the stick."""
    from webapp import backup

    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 300)
    with app.app_context():
        db.engine.dispose()
    other = sqlite3.connect(sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"]), timeout=1)
    other.isolation_level = None
    copy = backup.make_backup

    def then_another_program_writes(*args, **kwargs):  # type: ignore[no-untyped-def]
        # Another program starts writing just as the copy is done, before its row is written.
        made = copy(*args, **kwargs)
        other.execute("BEGIN IMMEDIATE")
        return made

    monkeypatch.setattr(backup, "make_backup", then_another_program_writes)
    folder = tmp_path / "sticka"
    folder.mkdir()
    try:
        result = runner.invoke(args=["backup", "--to", str(folder)])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 2, result.output
    assert "databasen var upptagen; försök igen" in result.output
    assert "åtkomstloggen" in result.output
    assert list_backups(folder) == []
    assert _backup_rows(app) == 0
