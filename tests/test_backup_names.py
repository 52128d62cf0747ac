"""A backup's file name says its time is UTC, and the admin screen names the latest beside its
local time: an admin choosing "the copy from just before 16:55" by its name is not an hour off.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import backup
from webapp.backup import list_backups, make_backup, status

from .clock_support import clock_set_back

pytestmark = pytest.mark.sqlite_only

NAME = re.compile(r"reservrutin-(\d{8}-\d{6})-\d{6}-UTC\.db")


def test_the_admin_screen_names_the_latest_copy_beside_its_local_time(
    app: Flask, client: FlaskClient, auth, tmp_path: Path
) -> None:
    app.config["BACKUP_DIR"] = tmp_path / "usb"
    (tmp_path / "usb").mkdir()
    auth.login("admin")
    client.post("/admin/backup")
    (taken,) = list_backups(tmp_path / "usb")
    named = NAME.fullmatch(taken.name)
    assert named, taken.name
    page = client.get("/admin/").get_data(as_text=True)
    assert taken.name in page
    at = datetime.strptime(named.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    local = at.astimezone(ZoneInfo(app.config["TIMEZONE"])).strftime("%Y-%m-%d %H:%M")
    assert f"Senaste säkerhetskopia {local}" in page


def test_a_copy_named_before_the_utc_mark_still_orders_before_a_new_one(
    app: Flask, tmp_path: Path
) -> None:
    """Copies named before the mark came, on a laptop whose clock was later set back."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    earlier = make_backup(url, tmp_path, keep=5)
    stamp = NAME.fullmatch(earlier.name)
    assert stamp
    unmarked = earlier.with_name(earlier.name.replace("-UTC.db", ".db"))
    earlier.rename(unmarked)
    with clock_set_back(2, backup):
        taken = make_backup(url, tmp_path, keep=5)
    assert list_backups(tmp_path) == [unmarked, taken]
    assert status(tmp_path).latest == taken


@pytest.mark.parametrize(
    "by_hand",
    [
        "reservrutin-kopia.db",
        # Windows names a copy made beside its original so: it is no copy the app checked.
        "reservrutin-20261122-101500-000000-UTC - Kopia.db",
        # A restore's replaced database, put on the stick for safe keeping.
        "reservrutin-fore-aterstallning-20261122-101500.db",
    ],
)
def test_a_file_named_by_hand_is_neither_pruned_nor_kept_instead_of_the_new_copy(
    app: Flask, tmp_path: Path, by_hand: str
) -> None:
    """Only the app's own copies are pruned and named as the latest; the new one always stays."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    other = tmp_path / by_hand
    other.write_bytes(b"det som administratoren lade dit")
    taken = make_backup(url, tmp_path, keep=1)
    again = make_backup(url, tmp_path, keep=1)
    assert again.exists()
    assert not taken.exists()
    assert other.read_bytes() == b"det som administratoren lade dit"
    assert list_backups(tmp_path) == [again]
    assert status(tmp_path).latest == again
