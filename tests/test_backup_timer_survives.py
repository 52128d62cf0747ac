"""The timer's copy is kept, and the timer goes on, when its row in the access log cannot be
written for a reason other than the disk (another program holding the database's write lock).

The timer runs in a thread of its own: an error escaping it ended the thread, and no copy was
taken again until the server was restarted.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask import Flask

from webapp.backup import check_integrity, list_backups, run_backup, sqlite_path

pytestmark = pytest.mark.sqlite_only


def test_a_timed_copy_whose_log_row_waits_too_long_is_kept_and_does_not_stop_the_timer(
    app: Flask, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["BACKUP_DIR"] = tmp_path
    holder = sqlite3.connect(sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"]), timeout=1)
    try:
        # Another program (a command in a second terminal) writing for longer than the wait.
        holder.execute("BEGIN IMMEDIATE")
        with app.app_context():
            taken = run_backup(app)
    finally:
        holder.rollback()
        holder.close()
    assert taken is not None and list_backups(tmp_path) == [taken]
    assert check_integrity(taken) == "ok"
    assert "kunde inte loggas" in caplog.text
