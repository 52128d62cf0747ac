"""Another program holding the database's write lock (BEGIN IMMEDIATE) past the app's wait."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask

from webapp import storage
from webapp.backup import sqlite_path
from webapp.extensions import db

BUSY_MESSAGE = "Datorn hann inte spara"
# The app's wait for the lock, shortened from 15 s so a sweep of every form stays quick.
SHORT_WAIT_MS = 50


@contextmanager
def database_busy(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Another connection holds the write lock; the app's new connections wait SHORT_WAIT_MS."""
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", SHORT_WAIT_MS)
    with app.app_context():
        db.engine.dispose()
    other = sqlite3.connect(sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"]), timeout=5)
    other.isolation_level = None
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()
        monkeypatch.undo()
        with app.app_context():
            db.engine.dispose()
