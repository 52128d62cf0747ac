"""A restore that fails part-way leaves the live database as it was, and says why in Swedish."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import backup_restore
from webapp.backup import BackupError, check_integrity, make_backup, sqlite_path
from webapp.backup_restore import restore
from webapp.extensions import db
from webapp.models import Incident
from webapp.server_lock import lock_path

from .factories import referral_data

pytestmark = pytest.mark.sqlite_only


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def later(app: Flask, client: FlaskClient, auth, tmp_path: Path) -> tuple[Path, Path, int]:
    """A backup, then a case written after it: (backup, live database, incident id)."""
    auth.login()
    incident = client.post("/incidents/new", data={"scenario": "pacs"}).headers["Location"]
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    copy = make_backup(url, tmp_path, keep=3)
    client.post("/cases/new", data=referral_data(key_suffix="late", patient_name="Sen Patient"))
    auth.logout()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return copy, sqlite_path(url), int(incident.rsplit("/", 1)[-1])


def _copy_that_stops_part_way(source: Path, dest: Path) -> None:
    dest.write_bytes(source.read_bytes()[:4096])
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_restore_whose_copy_fails_part_way_leaves_the_live_database_whole(
    app: Flask, later: tuple[Path, Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy, live, incident_id = later
    before = _dump(live)
    monkeypatch.setattr(backup_restore, "copy_database", _copy_that_stops_part_way)
    with pytest.raises(BackupError, match="disken är full") as failed:
        restore(copy, app.config["SQLALCHEMY_DATABASE_URI"])
    assert "Databasen är oförändrad" in str(failed.value)
    assert check_integrity(live) == "ok"
    assert _dump(live) == before
    assert not list(live.parent.glob("*.tmp*"))
    assert not list(live.parent.glob("*fore-aterstallning*"))
    with app.app_context():
        assert db.session.get(Incident, incident_id) is not None


def test_the_restore_command_says_in_swedish_that_the_database_is_unchanged(
    app: Flask, runner, later: tuple[Path, Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy, live, _ = later
    before = _dump(live)
    monkeypatch.setattr(backup_restore, "copy_database", _copy_that_stops_part_way)
    # The case written since the backup is newer work: restored over on purpose.
    result = runner.invoke(args=["restore", "--yes", str(copy)])
    assert result.exit_code == 2
    assert "disken är full" in result.output and "Databasen är oförändrad" in result.output
    assert _dump(live) == before


def test_a_restore_whose_lock_file_cannot_be_opened_says_so_in_swedish(
    app: Flask, runner, later: tuple[Path, Path, int]
) -> None:
    # As when the admin's account may not write the data dir a service account owns: a
    # folder in the lock file's place is refused by the system for every user, root too.
    copy, live, _ = later
    before = _dump(live)
    lock_path(live).mkdir()
    result = runner.invoke(args=["restore", str(copy)])
    assert result.exit_code == 2, result.output
    assert "Databasen är oförändrad" in result.output
    assert isinstance(result.exception, SystemExit)
    assert _dump(live) == before
