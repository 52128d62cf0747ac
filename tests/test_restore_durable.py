"""The database a restore replaces is on the disk before the restored one takes its place.

The replaced file holds the work since the backup (or the broken database to investigate); a
power cut just after the restore must not leave its copy empty while the rename survived.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.backup import make_backup, sqlite_path
from webapp.backup_restore import restore
from webapp.extensions import db

from .factories import referral_data

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def flushed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the files flushed to the disk (os.fsync still runs)."""
    names: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        names.append(os.path.basename(os.readlink(f"/proc/self/fd/{fd}")))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    yield names


def test_the_replaced_database_is_flushed_before_the_restore_is_done(
    app: Flask, client: FlaskClient, auth, tmp_path: Path, flushed: list[str]
) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    auth.login()
    client.post("/incidents/new", data={"scenario": "pacs"})
    copy = make_backup(url, tmp_path, keep=3)
    client.post("/cases/new", data=referral_data(key_suffix="late", patient_name="Sen Patient"))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    flushed.clear()
    aside = restore(copy, url)
    assert aside is not None and aside.parent == sqlite_path(url).parent
    assert aside.name in flushed
