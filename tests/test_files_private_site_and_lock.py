"""The site's file (contact numbers, IT's phone path, wards) and the server's lock file beside
the database are the laptop's own account's alone, as the database is."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from webapp import server_lock
from webapp.site_files import write_atomically


def _others_may(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode) & 0o077


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask (files readable by every account), as `make run` starts under."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_a_site_file_the_app_writes_is_its_owners_alone(tmp_path: Path, open_umask: None) -> None:
    site = tmp_path / "site.toml"
    write_atomically(site, '[site]\ncode = "X"\n')
    assert site.read_text(encoding="utf-8") == '[site]\ncode = "X"\n'
    assert _others_may(site) == 0


def test_a_site_file_rewritten_over_a_readable_one_is_its_owners_alone(
    tmp_path: Path, open_umask: None
) -> None:
    site = tmp_path / "site.toml"
    site.write_text("old", encoding="utf-8")
    # A temporary file a crash left behind, readable by all: not reused with its rights.
    leftover = tmp_path / "site.toml.tmp"
    leftover.write_text("half", encoding="utf-8")
    write_atomically(site, "new")
    assert site.read_text(encoding="utf-8") == "new"
    assert _others_may(site) == 0


def test_the_server_lock_file_is_its_owners_alone(tmp_path: Path, open_umask: None) -> None:
    database = tmp_path / "reservrutin.db"
    handle = server_lock.acquire(database)
    try:
        lock = server_lock.lock_path(database)
        assert lock.read_text(encoding="utf-8") == str(os.getpid())
        assert _others_may(lock) == 0
    finally:
        handle.close()
