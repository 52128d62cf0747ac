"""A backup holds every site's patients: only the laptop's own account may read it.

The laptop may have further accounts (a service login, IT's); a copy readable by all of them
is patient data outside the access log.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.backup import list_backups, make_backup, make_backup_dir

pytestmark = pytest.mark.sqlite_only


def _others_may(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode) & 0o077


def test_a_backup_copy_is_readable_by_its_owner_alone(app: Flask, tmp_path: Path) -> None:
    copy = make_backup(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, keep=3)
    assert _others_may(copy) == 0


def test_the_backup_folder_the_app_makes_is_its_owners_alone(app: Flask, tmp_path: Path) -> None:
    app.config["BACKUP_DIR"] = tmp_path / "kopior"
    assert make_backup_dir(app)
    assert _others_may(tmp_path / "kopior") == 0


def test_a_folder_made_by_the_backup_command_is_its_owners_alone(
    app: Flask, runner, tmp_path: Path
) -> None:
    folder = tmp_path / "ny"
    result = runner.invoke(args=["backup", "--to", str(folder)])
    assert result.exit_code == 0, result.output
    assert _others_may(folder) == 0
    [copy] = list_backups(folder)
    assert _others_may(copy) == 0


def test_a_copy_taken_from_the_admin_screen_is_its_owners_alone(
    app: Flask, client: FlaskClient, auth, tmp_path: Path
) -> None:
    app.config["BACKUP_DIR"] = tmp_path
    auth.login("admin")
    client.post("/admin/backup")
    [copy] = list_backups(tmp_path)
    assert _others_may(copy) == 0


def _released(app: Flask) -> Path:
    from webapp.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))


def test_the_database_a_restore_replaced_is_its_owners_alone(app: Flask, tmp_path: Path) -> None:
    """The replaced database is kept beside the restored one: every patient, up to the restore."""
    from webapp.backup_restore import restore

    copy = make_backup(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, keep=3)
    _released(app)
    aside = restore(copy, app.config["SQLALCHEMY_DATABASE_URI"])
    assert aside is not None
    assert _others_may(aside) == 0


def test_a_broken_database_a_restore_kept_aside_is_its_owners_alone(
    app: Flask, tmp_path: Path
) -> None:
    from webapp.backup_restore import restore

    copy = make_backup(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, keep=3)
    live = _released(app)
    wal = live.with_name(live.name + "-wal")
    live.write_bytes(b"inte en databas " * 4096)
    wal.write_bytes(b"en trasig logg")
    aside = restore(copy, app.config["SQLALCHEMY_DATABASE_URI"])
    assert aside is not None
    assert _others_may(aside) == 0
    assert _others_may(aside.with_name(aside.name + "-wal")) == 0


def test_the_parents_of_a_backup_folder_the_app_makes_are_its_owners_alone(
    app: Flask, runner, tmp_path: Path
) -> None:
    before = os.umask(0o022)
    try:
        app.config["BACKUP_DIR"] = tmp_path / "usb" / "kopior"
        assert make_backup_dir(app)
        result = runner.invoke(args=["backup", "--to", str(tmp_path / "stick" / "ny")])
    finally:
        os.umask(before)
    assert result.exit_code == 0, result.output
    assert _others_may(tmp_path / "usb") == 0
    assert _others_may(tmp_path / "stick") == 0
