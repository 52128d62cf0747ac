"""A data folder, database or backup folder other accounts of the laptop may read or write is
named on the admin screen's laptop panel, with the fix; the app changes no rights it did not
give (a folder chosen by IT keeps IT's)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.backup import sqlite_path
from webapp.laptop_health import open_to_others

pytestmark = pytest.mark.sqlite_only

SAID = "Andra konton på datorn kan läsa eller ändra {path}"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def private(app: Flask, tmp_path: Path) -> dict[str, Path]:
    """The data folder, the database and the backup folder, each for the app's account alone."""
    paths = {
        "data": Path(app.config["DATA_DIR"]),
        "database": sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"]),
        "backups": tmp_path / "usb",
    }
    paths["backups"].mkdir()
    app.config["BACKUP_DIR"] = paths["backups"]
    paths["data"].chmod(0o700)
    paths["database"].chmod(0o600)
    paths["backups"].chmod(0o700)
    return paths


def test_only_paths_others_may_read_or_write_are_named(tmp_path: Path) -> None:
    shut, readable, writable = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for path, mode in ((shut, 0o600), (readable, 0o644), (writable, 0o620)):
        path.write_text("x", encoding="ascii")
        path.chmod(mode)
    assert open_to_others([shut, readable, writable, tmp_path / "missing"]) == [readable, writable]


def test_a_private_laptop_shows_no_rights_warning(
    private: dict[str, Path], client: FlaskClient, auth
) -> None:
    auth.login("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Andra konton på datorn" not in page


@pytest.mark.parametrize("which", ["data", "database", "backups"])
def test_a_path_open_to_others_is_named_with_the_fix_and_left_as_it_is(
    private: dict[str, Path], client: FlaskClient, auth, which: str
) -> None:
    path = private[which]
    path.chmod(0o755 if path.is_dir() else 0o644)
    auth.login("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert SAID.format(path=path) in page
    assert f"chmod go-rwx {path}" in page
    assert page.count("Andra konton på datorn") == 1
    assert _mode(path) in (0o755, 0o644)


def test_an_exports_folder_open_to_others_is_named_with_the_fix(
    private: dict[str, Path], client: FlaskClient, auth
) -> None:
    # An older version's final batches: tightened at the next close, named until then.
    exports = private["data"] / "exports"
    exports.mkdir(mode=0o755)
    exports.chmod(0o755)
    auth.login("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert SAID.format(path=exports) in page
    assert f"chmod go-rwx {exports}" in page
