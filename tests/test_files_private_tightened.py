"""Folders the app makes for its own files are its account's alone, parents included; its own
folder and files found looser (made by an older version) are tightened when it writes there again,
and the log says so once. Run as root here: the modes are checked, not access."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from webapp import server_lock
from webapp.config import PRIVATE_FILE, PRIVATE_FOLDER, build_config
from webapp.site_files import write_atomically


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask (folders readable by every account), as `make run` starts under."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_folders_made_for_a_written_file_are_private_parents_included(
    tmp_path: Path, open_umask: None
) -> None:
    write_atomically(tmp_path / "a" / "b" / "site.toml", "x")
    assert _mode(tmp_path / "a") == PRIVATE_FOLDER
    assert _mode(tmp_path / "a" / "b") == PRIVATE_FOLDER
    assert _mode(tmp_path / "a" / "b" / "site.toml") == PRIVATE_FILE


def test_a_folder_it_did_not_make_keeps_its_rights(tmp_path: Path, open_umask: None) -> None:
    there = tmp_path / "there"
    there.mkdir(mode=0o755)
    write_atomically(there / "new" / "site.toml", "x")
    assert _mode(there) == 0o755
    assert _mode(there / "new") == PRIVATE_FOLDER


def test_a_batch_file_rewritten_over_a_readable_one_is_private(
    tmp_path: Path, open_umask: None
) -> None:
    batch = tmp_path / "batch.csv"
    batch.write_text("old", encoding="utf-8")
    batch.chmod(0o644)
    write_atomically(batch, "new")
    assert _mode(batch) == PRIVATE_FILE


def test_a_readable_lock_file_is_tightened_and_logged_once(
    tmp_path: Path, open_umask: None, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "reservrutin.db"
    lock = server_lock.lock_path(database)
    lock.write_text("", encoding="utf-8")
    lock.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        with server_lock.held(database):
            assert _mode(lock) == PRIVATE_FILE
        with server_lock.held(database):
            pass
    said = [r.getMessage() for r in caplog.records if str(lock) in r.getMessage()]
    assert len(said) == 1
    assert "0644" in said[0] and "0600" in said[0]


def test_the_lock_files_folder_made_by_the_app_is_private(tmp_path: Path, open_umask: None) -> None:
    with server_lock.held(tmp_path / "new" / "reservrutin.db"):
        pass
    assert _mode(tmp_path / "new") == PRIVATE_FOLDER


def test_a_data_folder_made_at_start_up_is_private_parents_included(
    tmp_path: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RESERVRUTIN_DATA_DIR", raising=False)
    build_config(tmp_path / "a" / "data")
    assert _mode(tmp_path / "a") == PRIVATE_FOLDER
    assert _mode(tmp_path / "a" / "data") == PRIVATE_FOLDER
