"""A benchmark seed's copy is moved to the present: its board does not grow as the cache ages."""

from __future__ import annotations

import importlib
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from webapp.config import DB_FILENAME
from webapp.extensions import db
from webapp.models import FailedLogin, User, utcnow

from .factories import make_user

BENCH = str(Path(__file__).resolve().parent.parent / "bench")

pytestmark = pytest.mark.sqlite_only  # the seed is a SQLite data dir


def test_every_time_in_a_copy_moves_forward_by_the_seeds_age(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        make_user(username="bench-age")
        user = db.session.scalars(select(User).where(User.username == "bench-age")).one()
        created = user.created_at
        db.session.add(FailedLogin(key="a 10.0.0.9", failed_attempts=1, locked_until=None))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # the shift writes the file itself, as on a copy nobody has open
    if BENCH not in sys.path:
        sys.path.insert(0, BENCH)  # as the bench scripts import it
    seed = importlib.import_module("seed")
    seed._bring_to_now(tmp_path / DB_FILENAME, utcnow() - timedelta(hours=2, seconds=0.5))
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == "bench-age")).one()
        moved = user.created_at - created
        assert timedelta(hours=2) <= moved <= timedelta(hours=2, seconds=2)
        # Whole seconds: the microseconds of every time are kept as they were.
        assert user.created_at.microsecond == created.microsecond
        # No time stays no time.
        assert db.session.get(FailedLogin, "a 10.0.0.9").locked_until is None
