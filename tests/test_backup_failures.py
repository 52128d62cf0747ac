"""A backup that cannot be written says why in Swedish and leaves nothing that looks like one."""

from __future__ import annotations

import errno
import html
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import backup
from webapp.backup import BackupError, list_backups, make_backup, start_scheduler

pytestmark = pytest.mark.sqlite_only


def _url(app: Flask) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"]


@contextmanager
def _files_at_most(size: int) -> Iterator[None]:
    """Let this process write no file beyond `size` bytes, as on a stick that is full."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@pytest.mark.skipif(sys.platform == "win32", reason="file size limits are POSIX")
def test_a_write_failing_mid_copy_leaves_no_partial_copy_and_says_why_in_swedish(
    app: Flask, tmp_path: Path
) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    live = Path(_url(app).removeprefix("sqlite:///"))
    assert live.stat().st_size > 64 * 1024
    # Past the limit a write fails part-way (EFBIG), which SQLite reports as an I/O error.
    with _files_at_most(64 * 1024), pytest.raises(BackupError) as failed:
        make_backup(_url(app), stick, keep=3)
    assert str(failed.value) == (
        f"Säkerhetskopian kunde inte skrivas till {stick}: läs- eller skrivfel på disken "
        "(är USB-minnet urtaget eller skadat?)."
    )
    assert list(stick.iterdir()) == []
    # The next backup, with room on the stick, is whole.
    copy = make_backup(_url(app), stick, keep=3)
    assert list_backups(stick) == [copy]


def test_backup_now_says_in_swedish_why_it_failed_and_keeps_no_partial_copy(
    app: Flask, client: FlaskClient, auth, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    app.config["BACKUP_DIR"] = stick

    def full(_fd: int) -> None:
        # Where a stick's lack of room often shows: when the written pages are flushed.
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(backup.os, "fsync", full)
    auth.login("admin")
    response = client.post("/admin/backup", follow_redirects=True)
    page = html.unescape(response.get_data(as_text=True))
    assert "Säkerhetskopieringen misslyckades: disken är full" in page
    assert "No space" not in page
    assert list(stick.iterdir()) == []


def test_backup_now_names_a_missing_target_folder(
    app: Flask, client: FlaskClient, auth, tmp_path: Path
) -> None:
    app.config["BACKUP_DIR"] = tmp_path / "no-usb"
    auth.login("admin")
    page = html.unescape(client.post("/admin/backup", follow_redirects=True).get_data(as_text=True))
    assert "Säkerhetskopieringen misslyckades: målmappen finns inte" in page


def test_the_app_starts_and_the_admin_is_told_when_the_backup_folder_cannot_be_made(
    app: Flask, client: FlaskClient, auth, tmp_path: Path
) -> None:
    # A file where the folder should be (a stick mounted wrong): start-up used to stop here.
    (tmp_path / "usb").write_text("en fil")
    app.config["BACKUP_DIR"] = tmp_path / "usb" / "kopior"
    app.config["BACKUP_INTERVAL_MINUTES"] = 10_000
    start_scheduler(app)
    auth.login("admin")
    response = client.get("/admin/")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "Målmappen för säkerhetskopior kunde inte skapas" in page
    assert "en fil står där målmappen ska vara" in page
    assert str(tmp_path / "usb" / "kopior") in page
