"""The database holds every site's patients: the files SQLite keeps it in (the database, its
-wal and -shm) are the laptop's own account's alone, whatever the umask would give them.

The laptop may have further accounts (a service login, IT's); a database readable by all of
them is patient data outside the access log.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from webapp import create_app
from webapp.config import DB_FILENAME
from webapp.extensions import db
from webapp.startup import prepare

pytestmark = pytest.mark.sqlite_only


def _others_may(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode) & 0o077


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask (files readable by every account), as `make run` starts under."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_a_database_the_app_creates_is_its_owners_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    data_dir = tmp_path / "data"
    app = create_app({"TESTING": True, "DATA_DIR": data_dir})
    prepare(app, run_migrations=False, load_sites=False)
    database = data_dir / DB_FILENAME
    with app.app_context():
        # A write keeps the -wal and -shm in place while the connection is open.
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE probe (x INTEGER)"))
        with db.engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM probe")).scalar()
            found = [database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))]
            assert all(p.exists() for p in found)
            assert [_others_may(p) for p in found] == [0, 0, 0]
        db.engine.dispose()
